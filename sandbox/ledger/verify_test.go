package ledger

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"github.com/tbackend/sdk/sandbox/ledger/ledgertest"
)

// TestRejects changes one thing in a good payment and expects that one
// defect to be refused, with its sentinel and a reason naming it.
func TestRejects(t *testing.T) {
	alice := KeyFor("alice").Payment
	tests := []struct {
		name   string
		utxo   int // alice's genesis UTxO to spend
		edit   func(l *Ledger, s *ledgertest.Spend)
		raw    func(l *Ledger, s ledgertest.Spend) []byte // builds the tx itself
		want   error
		reason string
	}{
		{name: "bad signature", raw: func(l *Ledger, s ledgertest.Spend) []byte {
			_, body := s.Build()
			sig := ed25519.Sign(alice, []byte("something else"))
			w := ledgertest.Marshal([]any{[]byte(alice.Public().(ed25519.PublicKey)), sig})
			return ledgertest.Tx(body, ledgertest.WitnessSet(true, w), s.Aux)
		}, want: ErrBadSignature, reason: "does not verify over the body hash"},
		{name: "missing witness", edit: func(l *Ledger, s *ledgertest.Spend) {
			s.Keys = []ed25519.PrivateKey{KeyFor("bob").Payment}
		}, want: ErrMissingWitness, reason: "no witness signs for it"},
		{name: "no witnesses at all", edit: func(l *Ledger, s *ledgertest.Spend) { s.Keys = nil },
			want: ErrMissingWitness, reason: "no witness"},
		{name: "witness over a re-encoded body", raw: func(l *Ledger, s ledgertest.Spend) []byte {
			// The body is sent with indefinite-length arrays, but the
			// witness signs its canonical re-encoding.
			var bd ledgertest.Body
			s.Slack = 44 * 4
			s.Tamper = func(b *ledgertest.Body) { bd = *b }
			s.Build()
			canonical := bd.Encode()
			bd.Indefinite = true
			sent := bd.Encode()
			return ledgertest.Tx(sent, ledgertest.WitnessSet(true, ledgertest.Witness(canonical, alice)), s.Aux)
		}, want: ErrBadSignature, reason: "re-encoded"},
		{name: "unknown input", edit: func(l *Ledger, s *ledgertest.Spend) {
			s.Inputs[0].TxID[0] ^= 0xff
		}, want: ErrUnknownInput, reason: "does not exist"},
		{name: "spent input", raw: func(l *Ledger, s ledgertest.Spend) []byte {
			first, _ := s.Build()
			if _, err := l.Apply(first, 0); err != nil {
				panic(err)
			}
			s.Outputs[0].Coin++
			again, _ := s.Build()
			return again
		}, want: ErrSpentInput, reason: "already spent by transaction"},
		{name: "duplicate input", edit: func(l *Ledger, s *ledgertest.Spend) {
			s.Inputs = append(s.Inputs, s.Inputs[0])
		}, want: ErrDuplicateInput, reason: "appears twice"},
		{name: "ADA not conserved", edit: func(l *Ledger, s *ledgertest.Spend) {
			s.Tamper = func(b *ledgertest.Body) { b.Outputs[1].Coin++ }
		}, want: ErrValueNotConserved, reason: "lovelace"},
		{name: "token not conserved", utxo: 1, edit: func(l *Ledger, s *ledgertest.Spend) {
			s.Tamper = func(b *ledgertest.Body) { b.Outputs[1].Assets[PolicySNEK]["tSNEK"]++ }
		}, want: ErrValueNotConserved, reason: "token"},
		{name: "token dropped", utxo: 1, edit: func(l *Ledger, s *ledgertest.Spend) {
			s.Tamper = func(b *ledgertest.Body) { delete(b.Outputs[1].Assets, PolicyHOSKY) }
		}, want: ErrValueNotConserved, reason: "tHOSKY"},
		{name: "fee too low", edit: func(l *Ledger, s *ledgertest.Spend) {
			s.Tamper = func(b *ledgertest.Body) { b.Fee -= 1000; b.Outputs[1].Coin += 1000 }
		}, want: ErrFeeTooLow, reason: "needs at least"},
		{name: "output below min-ADA", edit: func(l *Ledger, s *ledgertest.Spend) {
			s.Outputs[0].Coin = 900_000
		}, want: ErrOutputTooSmall, reason: "min-ADA"},
		{name: "ttl past", edit: func(l *Ledger, s *ledgertest.Spend) { s.TTL = l.Slot() },
			want: ErrExpired, reason: "has passed"},
		{name: "ttl missing", edit: func(l *Ledger, s *ledgertest.Spend) { s.TTL = 0 },
			want: ErrNoTTL, reason: "no time to live"},
		{name: "too large", edit: func(l *Ledger, s *ledgertest.Spend) {
			msgs := make([]string, 300)
			for i := range msgs {
				msgs[i] = strings.Repeat("x", 64)
			}
			s.Aux = ledgertest.Messages(msgs...)
		}, want: ErrTooLarge, reason: "maximum size is 16384"},
		{name: "aux data hash mismatch", edit: func(l *Ledger, s *ledgertest.Spend) {
			s.Tamper = func(b *ledgertest.Body) { b.AuxHash[0] ^= 1 }
		}, want: ErrAuxDataHash, reason: "hashes to"},
		{name: "aux data without hash", edit: func(l *Ledger, s *ledgertest.Spend) {
			s.Tamper = func(b *ledgertest.Body) { b.AuxHash = nil }
		}, want: ErrAuxDataHash, reason: "no auxiliary data hash"},
		{name: "mint present", edit: func(l *Ledger, s *ledgertest.Spend) {
			mint := map[cbor.ByteString]map[cbor.ByteString]int64{cbor.ByteString(PolicySNEK[:]): {"tSNEK": 5}}
			s.Tamper = func(b *ledgertest.Body) { b.Extra = map[uint64]any{9: mint} }
		}, want: ErrUnsupported, reason: "mint"},
		{name: "withdrawals present", edit: func(l *Ledger, s *ledgertest.Spend) {
			w := map[cbor.ByteString]uint64{cbor.ByteString(KeyFor("alice").RewardAddress(Preprod)): 5}
			s.Tamper = func(b *ledgertest.Body) { b.Extra = map[uint64]any{5: w} }
		}, want: ErrUnsupported, reason: "withdrawals"},
		{name: "unknown body key", edit: func(l *Ledger, s *ledgertest.Spend) {
			s.Tamper = func(b *ledgertest.Body) { b.Extra = map[uint64]any{42: 1} }
		}, want: ErrUnsupported, reason: "key 42"},
		{name: "output for mainnet", edit: func(l *Ledger, s *ledgertest.Spend) {
			s.Outputs[0].Address = KeyFor(Payee).Address(Mainnet)
		}, want: ErrWrongNetwork, reason: "network id 1"},
		{name: "network id mismatch", edit: func(l *Ledger, s *ledgertest.Spend) {
			s.Tamper = func(b *ledgertest.Body) { b.Extra = map[uint64]any{15: 1} }
		}, want: ErrWrongNetwork, reason: "network id 1"},
		{name: "required signer without witness", edit: func(l *Ledger, s *ledgertest.Spend) {
			bob := KeyFor("bob").Hash()
			s.Slack = 44 * 40
			s.Tamper = func(b *ledgertest.Body) { b.Extra = map[uint64]any{14: [][]byte{bob[:]}} }
		}, want: ErrMissingWitness, reason: "required signer"},
		{name: "not valid yet", edit: func(l *Ledger, s *ledgertest.Spend) {
			from := l.Slot() + 100
			s.Tamper = func(b *ledgertest.Body) { b.Extra = map[uint64]any{8: from} }
		}, want: ErrNotYetValid, reason: "valid from slot"},
		{name: "is_valid false", raw: func(l *Ledger, s ledgertest.Spend) []byte {
			tx, _ := s.Build()
			var parts []cbor.RawMessage
			if err := cbor.Unmarshal(tx, &parts); err != nil {
				panic(err)
			}
			parts[2] = []byte{0xf4}
			return ledgertest.Array(false, parts...)
		}, want: ErrInvalidFlag, reason: "is_valid"},
		{name: "not CBOR", raw: func(*Ledger, ledgertest.Spend) []byte { return []byte("hello") },
			want: ErrMalformed, reason: "not CBOR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _ := newTestLedger(t)
			s := payment(t, l, tt.utxo, 5_000_000)
			var raw []byte
			switch {
			case tt.raw != nil:
				raw = tt.raw(l, s)
			default:
				tt.edit(l, &s)
				raw, _ = s.Build()
			}
			_, err := l.Verify(raw)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
			t.Logf("reason: %s", Reason(err))
			var re *RejectError
			if !errors.As(err, &re) || !strings.Contains(re.Reason, tt.reason) {
				t.Errorf("reason %q should mention %q", Reason(err), tt.reason)
			}
			if _, err := l.Apply(raw, 0); !errors.Is(err, tt.want) {
				t.Errorf("Apply = %v, want the same refusal", err)
			}
		})
	}
}

// TestDecodeForms: every accepted encoding of the same payment verifies.
func TestDecodeForms(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(s *ledgertest.Spend)
		outer bool // indefinite-length top-level array
	}{
		{name: "legacy outputs, plain sets", edit: func(s *ledgertest.Spend) {}},
		{name: "map outputs, tag 258", edit: func(s *ledgertest.Spend) {
			s.Outputs[0].MapForm, s.ChangeMap, s.TagSets = true, true, true
		}},
		{name: "indefinite arrays", edit: func(s *ledgertest.Spend) {
			s.Tamper = func(b *ledgertest.Body) { b.Indefinite = true }
			s.Slack = 44 * 8 // the indefinite forms' extra bytes
		}, outer: true},
		{name: "conway auxiliary data", edit: func(s *ledgertest.Spend) {
			s.Aux = ledgertest.ConwayAux(ledgertest.Marshal(map[uint64]any{674: map[string]any{"msg": []string{"invoice inv_test"}}}))
		}},
		{name: "no auxiliary data", edit: func(s *ledgertest.Spend) { s.Aux = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _ := newTestLedger(t)
			s := payment(t, l, 1, 5_000_000) // carries tokens
			tt.edit(&s)
			raw, _ := s.Build()
			if tt.outer {
				raw = append([]byte{0x9f}, raw[1:]...)
				raw = append(raw, 0xff)
			}
			tx, err := Decode(raw)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if len(tx.Inputs) != 1 || len(tx.Outputs) != 2 || len(tx.Outputs[1].Value.Assets) != 2 {
				t.Fatalf("decoded %d inputs, %d outputs", len(tx.Inputs), len(tx.Outputs))
			}
			if s.Aux != nil && !strings.Contains(strings.Join(tx.Messages(), ""), "inv_test") {
				t.Errorf("messages %q", tx.Messages())
			}
			if _, err := l.Verify(raw); err != nil {
				t.Fatalf("Verify: %v", err)
			}
		})
	}
}
