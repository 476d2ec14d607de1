package cip30

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"reflect"
	"strconv"
	"testing"
	"time"

	fxcbor "github.com/fxamacker/cbor/v2"
	"github.com/tbackend/sdk/cip30/internal/cbor"
	"golang.org/x/crypto/blake2b"
)

// testKey is a deterministic ed25519 key for tests: never a real seed.
type testKey struct {
	priv ed25519.PrivateKey
	pub  ed25519.PublicKey
	hash [28]byte
}

func newTestKey(i int) testKey {
	seed := sha256.Sum256([]byte("tbackend cip30 test key " + strconv.Itoa(i)))
	priv := ed25519.NewKeyFromSeed(seed[:])
	pub := priv.Public().(ed25519.PublicKey)
	h, _ := blake2b.New(28, nil)
	h.Write(pub)
	var kh [28]byte
	h.Sum(kh[:0])
	return testKey{priv, pub, kh}
}

// address is a base address (network 0 unless mainnet) paying to the key
// and staking to a fixed hash.
func (k testKey) address(t testing.TB, mainnet bool) Address {
	t.Helper()
	head := byte(0x00)
	if mainnet {
		head = 0x01
	}
	b := append([]byte{head}, k.hash[:]...)
	b = append(b, bytes.Repeat([]byte{0x5a}, 28)...)
	a, err := AddressFromBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (k testKey) enterprise(t testing.TB) Address {
	t.Helper()
	a, err := AddressFromBytes(append([]byte{0x60}, k.hash[:]...))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// mkUTxO encodes a wallet UTxO as CBOR (legacy output array) and decodes
// it, as the wallet path would.
func mkUTxO(t testing.TB, tx byte, idx uint32, addr Address, v Value) UTxO {
	t.Helper()
	var in Input
	for i := range in.TxHash {
		in.TxHash[i] = tx
	}
	in.TxHash[31] = byte(idx)
	in.Index = idx
	b := cbor.AppendArray(nil, 2)
	b = cbor.AppendArray(b, 2)
	b = cbor.AppendBytes(b, in.TxHash[:])
	b = cbor.AppendUint(b, uint64(idx))
	b = cbor.AppendArray(b, 2)
	b = cbor.AppendBytes(b, addr.Bytes())
	b = appendValue(b, v)
	u, err := DecodeUTxO(b)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// walletSign signs the payment like a CIP-30 wallet and returns the
// witness set it would return, encoded by fxamacker (independently of our
// encoder), with tag 258 unless plain.
func walletSign(t testing.TB, hash [32]byte, keys []testKey, plain bool) []byte {
	t.Helper()
	var ws []any
	for _, k := range keys {
		ws = append(ws, []any{[]byte(k.pub), ed25519.Sign(k.priv, hash[:])})
	}
	var set any = ws
	if !plain {
		set = fxcbor.Tag{Number: 258, Content: ws}
	}
	em, _ := fxcbor.CanonicalEncOptions().EncMode()
	b, err := em.Marshal(map[uint64]any{0: set})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// keysFor returns the keys among ks whose hashes the payment needs.
func keysFor(p *Payment, ks ...testKey) []testKey {
	var out []testKey
	for _, k := range ks {
		for _, s := range p.Signers {
			if s == k.hash {
				out = append(out, k)
			}
		}
	}
	return out
}

var fxAny = func() fxcbor.DecMode {
	m, _ := fxcbor.DecOptions{DefaultMapType: reflect.TypeOf(map[any]any(nil))}.DecMode()
	return m
}()

// refValue reads a value decoded by fxamacker.
func refValue(t testing.TB, v any) Value {
	t.Helper()
	switch x := v.(type) {
	case uint64:
		return Value{Coin: x}
	case []any:
		out := Value{Coin: x[0].(uint64), Assets: map[AssetID]uint64{}}
		for p, names := range x[1].(map[any]any) {
			var id AssetID
			copy(id.PolicyID[:], p.(fxcbor.ByteString))
			for n, q := range names.(map[any]any) {
				id.Name = string(n.(fxcbor.ByteString))
				out.Assets[id] = q.(uint64)
			}
		}
		return out
	}
	t.Fatalf("not a value: %#v", v)
	return Value{}
}

// checkSignedTx checks a signed payment with fxamacker/cbor and
// crypto/ed25519 only: body bytes unchanged, hash, canonical body, value
// conservation, fee, min ADA, TTL, metadata and signatures.
func checkSignedTx(t testing.TB, p *Payment, signed []byte, utxos []UTxO, params Params, msg []string) {
	t.Helper()
	var parts []fxcbor.RawMessage
	if err := fxcbor.Unmarshal(signed, &parts); err != nil || len(parts) != 4 {
		t.Fatalf("signed tx: %v (%d parts)", err, len(parts))
	}
	if d := firstDiff(parts[0], p.Body); d >= 0 {
		t.Fatalf("body bytes changed at byte %d", d)
	}
	if h := blake2b.Sum256(parts[0]); h != p.Hash {
		t.Fatalf("hash %x != %x", h, p.Hash)
	}
	if h, err := TxHash(signed); err != nil || h != p.Hash {
		t.Fatalf("TxHash: %x %v", h, err)
	}
	// The body is canonical: fxamacker's canonical re-encoding is the same.
	var generic any
	if err := fxAny.Unmarshal(parts[0], &generic); err != nil {
		t.Fatal(err)
	}
	canon, _ := fxcbor.CanonicalEncOptions().EncMode()
	if again, _ := canon.Marshal(generic); !bytes.Equal(again, parts[0]) {
		t.Fatalf("body is not canonical: first difference at byte %d", firstDiff(again, parts[0]))
	}
	var body map[uint64]fxcbor.RawMessage
	if err := fxcbor.Unmarshal(parts[0], &body); err != nil {
		t.Fatal(err)
	}
	var ins fxcbor.Tag
	if err := fxAny.Unmarshal(body[0], &ins); err != nil || ins.Number != 258 {
		t.Fatalf("inputs are not a tag-258 set: %v", err)
	}
	byInput := map[Input]UTxO{}
	for _, u := range utxos {
		byInput[u.Input] = u
	}
	var in Value
	var prev []byte
	for _, x := range ins.Content.([]any) {
		pair := x.([]any)
		var i Input
		copy(i.TxHash[:], pair[0].([]byte))
		i.Index = uint32(pair[1].(uint64))
		key := append(append([]byte{}, i.TxHash[:]...), byte(i.Index>>8), byte(i.Index))
		if prev != nil && bytes.Compare(prev, key) >= 0 {
			t.Fatal("inputs are not sorted")
		}
		prev = key
		u, ok := byInput[i]
		if !ok {
			t.Fatalf("input %v is not one of the wallet's", i)
		}
		in, _ = in.Add(u.Value)
	}
	var outs []fxcbor.RawMessage
	if err := fxcbor.Unmarshal(body[1], &outs); err != nil {
		t.Fatal(err)
	}
	var out Value
	for i, raw := range outs {
		var o map[uint64]any
		if err := fxAny.Unmarshal(raw, &o); err != nil || len(o) != 2 {
			t.Fatalf("output %d is not {0: address, 1: value}: %v", i, err)
		}
		v := refValue(t, o[1])
		if min := (160 + uint64(len(raw))) * params.CoinsPerUTxOByte; v.Coin < min {
			t.Errorf("output %d holds %d lovelace, below the minimum %d", i, v.Coin, min)
		}
		if i < len(p.Outputs) && !bytes.Equal(o[0].([]byte), p.Outputs[i].Address.Bytes()) {
			t.Errorf("output %d address differs", i)
		}
		out, _ = out.Add(v)
	}
	var fee, ttl uint64
	fxcbor.Unmarshal(body[2], &fee)
	fxcbor.Unmarshal(body[3], &ttl)
	if fee != p.Fee || ttl != p.TTL {
		t.Errorf("fee %d ttl %d, payment says %d %d", fee, ttl, p.Fee, p.TTL)
	}
	out.Coin += fee
	if !in.Equal(out) {
		t.Errorf("value not conserved: inputs %v, outputs + fee %v", in, out)
	}
	if min := params.MinFeeA*uint64(len(signed)) + params.MinFeeB; fee < min {
		t.Errorf("fee %d below the signed transaction's minimum %d", fee, min)
	}
	if len(signed) > p.Size {
		t.Errorf("signed size %d above the estimate %d", len(signed), p.Size)
	}
	// Signatures.
	var ws map[uint64]fxcbor.RawMessage
	fxcbor.Unmarshal(parts[1], &ws)
	var vk any
	fxAny.Unmarshal(ws[0], &vk)
	if tag, ok := vk.(fxcbor.Tag); ok {
		vk = tag.Content
	}
	signers := map[[28]byte]bool{}
	for _, w := range vk.([]any) {
		pair := w.([]any)
		pub, sig := pair[0].([]byte), pair[1].([]byte)
		if !ed25519.Verify(pub, p.Hash[:], sig) {
			t.Errorf("signature of %x does not verify", pub)
		}
		h, _ := blake2b.New(28, nil)
		h.Write(pub)
		var kh [28]byte
		h.Sum(kh[:0])
		signers[kh] = true
	}
	for _, s := range p.Signers {
		if !signers[s] {
			t.Errorf("no signature from %x", s)
		}
	}
	// Metadata.
	if len(msg) == 0 {
		if !bytes.Equal(parts[3], []byte{0xf6}) || body[7] != nil {
			t.Error("auxiliary data without a message")
		}
		return
	}
	if h := blake2b.Sum256(parts[3]); !bytes.Equal(body[7], append([]byte{0x58, 0x20}, h[:]...)) {
		t.Error("auxiliary data hash mismatch")
	}
	var aux fxcbor.Tag
	if err := fxAny.Unmarshal(parts[3], &aux); err != nil || aux.Number != 259 {
		t.Fatalf("aux data is not tag 259: %v", err)
	}
	md := aux.Content.(map[any]any)[uint64(0)].(map[any]any)[uint64(674)].(map[any]any)
	var lines []string
	for _, l := range md["msg"].([]any) {
		lines = append(lines, l.(string))
	}
	if !reflect.DeepEqual(lines, msg) {
		t.Errorf("message %q, want %q", lines, msg)
	}
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}
