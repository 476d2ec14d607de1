package cip30

import (
	"slices"
	"unicode/utf8"

	"github.com/tbackend/sdk/cip30/internal/cbor"
	"github.com/tbackend/sdk/cip30/internal/heapsort"
	"golang.org/x/crypto/blake2b"
)

// Transaction body keys (Conway CDDL).
const (
	bodyInputs  = 0
	bodyOutputs = 1
	bodyFee     = 2
	bodyTTL     = 3
	bodyAuxHash = 7
)

// MessageLabel is the CIP-20 metadata label for transaction messages.
const MessageLabel = 674

// maxMetadataText is the ledger's limit on a metadata string, in bytes.
const maxMetadataText = 64

// vkeyWitnessSize is one [vkey, signature]: 1 + (2+32) + (2+64) bytes.
const vkeyWitnessSize = 101

func sortInputs(ins []Input) {
	heapsort.Sort(len(ins), func(i, j int) bool { return compareInputs(ins[i], ins[j]) < 0 },
		func(i, j int) { ins[i], ins[j] = ins[j], ins[i] })
}

// appendInputs writes the inputs as a tag-258 set, sorted by (hash, index).
func appendInputs(b []byte, ins []Input) []byte {
	sorted := slices.Clone(ins)
	sortInputs(sorted)
	b = cbor.AppendTag(b, cbor.TagSet)
	b = cbor.AppendArray(b, len(sorted))
	for _, in := range sorted {
		b = cbor.AppendArray(b, 2)
		b = cbor.AppendBytes(b, in.TxHash[:])
		b = cbor.AppendUint(b, uint64(in.Index))
	}
	return b
}

// appendBody writes a Conway transaction body {0: inputs, 1: outputs,
// 2: fee, 3: ttl, ?7: auxiliary_data_hash}; the keys are written in
// canonical order.
func appendBody(b []byte, ins []Input, outs []Output, fee, ttl uint64, auxHash *[32]byte) []byte {
	n := 4
	if auxHash != nil {
		n++
	}
	b = cbor.AppendMap(b, n)
	b = cbor.AppendUint(b, bodyInputs)
	b = appendInputs(b, ins)
	b = cbor.AppendUint(b, bodyOutputs)
	b = cbor.AppendArray(b, len(outs))
	for _, o := range outs {
		b = appendOutput(b, o)
	}
	b = cbor.AppendUint(b, bodyFee)
	b = cbor.AppendUint(b, fee)
	b = cbor.AppendUint(b, bodyTTL)
	b = cbor.AppendUint(b, ttl)
	if auxHash != nil {
		b = cbor.AppendUint(b, bodyAuxHash)
		b = cbor.AppendBytes(b, auxHash[:])
	}
	return b
}

// appendAuxData writes CIP-20 message lines as Conway auxiliary data:
// #6.259({0: {674: {"msg": [lines…]}}}).
func appendAuxData(b []byte, lines []string) []byte {
	b = cbor.AppendTag(b, cbor.TagAuxData)
	b = cbor.AppendMap(b, 1)
	b = cbor.AppendUint(b, 0) // metadata
	b = cbor.AppendMap(b, 1)
	b = cbor.AppendUint(b, MessageLabel)
	b = cbor.AppendMap(b, 1)
	b = cbor.AppendText(b, "msg")
	b = cbor.AppendArray(b, len(lines))
	for _, l := range lines {
		b = cbor.AppendText(b, l)
	}
	return b
}

// splitMessage cuts each line into pieces of at most 64 bytes at
// character boundaries, as CIP-20 asks. Invalid UTF-8 is refused.
func splitMessage(lines []string) ([]string, error) {
	var out []string
	for _, l := range lines {
		if !utf8.ValidString(l) {
			return nil, invalid("a message line is not valid UTF-8")
		}
		if l == "" {
			out = append(out, l)
			continue
		}
		for len(l) > 0 {
			n := len(l)
			if n > maxMetadataText {
				n = maxMetadataText
				for n > 0 && !utf8.RuneStart(l[n]) {
					n--
				}
			}
			out = append(out, l[:n])
			l = l[n:]
		}
	}
	return out, nil
}

// appendTx writes [body, {}, true, aux or null].
func appendTx(b, body, aux []byte) []byte {
	b = cbor.AppendArray(b, 4)
	b = append(b, body...)
	b = cbor.AppendMap(b, 0)
	b = cbor.AppendBool(b, true)
	if aux == nil {
		return cbor.AppendNull(b)
	}
	return append(b, aux...)
}

// witnessSetSize bounds the signed witness set: {0: #6.258([n × vkey
// witness])}. Counting the tag keeps the bound true whether or not the
// wallet writes it.
func witnessSetSize(n int) int {
	if n == 0 {
		return 1
	}
	return 1 + 1 + 3 + cbor.HeadSize(uint64(n)) + n*vkeyWitnessSize
}

func hash256(b []byte) [32]byte { return blake2b.Sum256(b) }

func hash224(b []byte) [28]byte {
	h, _ := blake2b.New(28, nil)
	h.Write(b)
	var out [28]byte
	h.Sum(out[:0])
	return out
}
