package ledger

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/tbackend/sdk/sandbox/ledger/ledgertest"
)

// testNow is a fixed time on preprod.
var testNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newTestLedger(t *testing.T) (*Ledger, *clock) {
	t.Helper()
	c := &clock{t: testNow}
	return New(Config{Now: c.now}), c
}

// utxo returns the account's i-th genesis UTxO.
func utxo(t *testing.T, l *Ledger, account string, i int) UTxO {
	t.Helper()
	us, err := l.UTxOs(account)
	if err != nil {
		t.Fatal(err)
	}
	if i >= len(us) {
		t.Fatalf("%s has %d UTxOs, want index %d", account, len(us), i)
	}
	return us[i]
}

func testInput(in Input) ledgertest.Input { return ledgertest.Input{TxID: in.TxID, Index: in.Index} }

func testAssets(v Value) ledgertest.Assets {
	out := ledgertest.Assets{}
	for a, q := range v.Assets {
		if out[a.Policy] == nil {
			out[a.Policy] = map[string]uint64{}
		}
		out[a.Policy][a.Name] = q
	}
	return out
}

// payment spends alice's UTxO i paying lovelace to the payee, with change
// back to alice, a TTL an hour ahead and a CIP-20 message.
func payment(t *testing.T, l *Ledger, i int, lovelace uint64) ledgertest.Spend {
	t.Helper()
	u := utxo(t, l, "alice", i)
	return ledgertest.Spend{
		Inputs:   []ledgertest.Input{testInput(u.Input)},
		InCoin:   u.Output.Value.Coin,
		InAssets: testAssets(u.Output.Value),
		Outputs:  []ledgertest.Output{{Address: l.Address(Payee), Coin: lovelace}},
		Change:   l.Address("alice"),
		TTL:      l.Slot() + 3600,
		Aux:      ledgertest.Messages("invoice inv_test"),
		Keys:     []ed25519.PrivateKey{KeyFor("alice").Payment},
	}
}

func TestGoodPaymentVerifiesAndApplies(t *testing.T) {
	l, c := newTestLedger(t)
	tx, body := payment(t, l, 0, 5_000_000).Build()
	got, err := l.Verify(tx)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if want := ledgertest.Hash(body); got.Hash != want {
		t.Fatalf("hash %x, want blake2b-256 of the body %x", got.Hash, want)
	}
	if msgs := got.Messages(); len(msgs) != 1 || msgs[0] != "invoice inv_test" {
		t.Errorf("Messages() = %q", msgs)
	}
	if _, err := l.Apply(tx, 2*time.Second); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	rec, ok := l.Transaction(got.HashHex())
	if !ok || rec.Status != StatusSubmitted {
		t.Fatalf("right after Apply: %v %q, want submitted", ok, rec.Status)
	}
	c.t = c.t.Add(2 * time.Second)
	if rec, _ = l.Transaction(got.HashHex()); rec.Status != StatusConfirmed {
		t.Fatalf("after the delay: %q, want confirmed", rec.Status)
	}

	// The payee sees the payment, alice sees her change and not the spent UTxO.
	payee, _ := l.UTxOs(Payee)
	found := false
	for _, u := range payee {
		found = found || u.Input == (Input{TxID: got.Hash, Index: 0}) && u.Output.Value.Coin == 5_000_000
	}
	if !found {
		t.Errorf("the payee's UTxOs lack %s#0 with 5 ADA", got.HashHex())
	}
	alice, _ := l.UTxOs("alice")
	if len(alice) != 4 {
		t.Fatalf("alice has %d UTxOs, want 3 genesis + change", len(alice))
	}
	change := alice[3]
	if change.Input != (Input{TxID: got.Hash, Index: 1}) || change.Output.Value.Coin != 1000_000_000-5_000_000-got.Fee {
		t.Errorf("change %v %d", change.Input, change.Output.Value.Coin)
	}
	if _, err := l.Apply(tx, 0); !errors.Is(err, ErrSpentInput) {
		t.Errorf("applying twice: %v, want ErrSpentInput", err)
	}
}

func TestProfiles(t *testing.T) {
	l, _ := newTestLedger(t)
	p := l.Params()
	tests := []struct {
		account string
		coins   []uint64
		tokens  []bool
	}{
		{"demo", []uint64{1000_000_000, 250_000_000, 8_000_000, 2_000_000}, []bool{false, true, true, true}},
		{"tokens-only-1", []uint64{20_000_000, 20_000_000, 20_000_000}, []bool{true, true, true}},
		{"poor-bob", []uint64{1_200_000}, []bool{false}},
	}
	for _, tt := range tests {
		t.Run(tt.account, func(t *testing.T) {
			us, err := l.UTxOs(tt.account)
			if err != nil {
				t.Fatal(err)
			}
			if len(us) != len(tt.coins) {
				t.Fatalf("%d UTxOs, want %d", len(us), len(tt.coins))
			}
			forms := map[int]bool{}
			for i, u := range us {
				if u.Input.TxID != GenesisTxID(tt.account) || u.Input.Index != uint64(i) {
					t.Errorf("UTxO %d at %v", i, u.Input)
				}
				if u.Output.Value.Coin != tt.coins[i] || (len(u.Output.Value.Assets) > 0) != tt.tokens[i] {
					t.Errorf("UTxO %d holds %d lovelace, %d tokens", i, u.Output.Value.Coin, len(u.Output.Value.Assets))
				}
				if min := p.MinADA(len(u.Output.Raw)); u.Output.Value.Coin < min {
					t.Errorf("UTxO %d below min-ADA %d", i, min)
				}
				// The TransactionUnspentOutput decodes back to the same thing.
				b, err := cbor.Marshal(u)
				if err != nil {
					t.Fatal(err)
				}
				items, err := decodeArray(b)
				if err != nil || len(items) != 2 {
					t.Fatalf("UTxO %d: %x is not [input, output]: %v", i, b, err)
				}
				in, err1 := decodeInput(items[0])
				out, err2 := decodeOutput(items[1])
				if err1 != nil || err2 != nil || in != u.Input || !out.Value.Equal(u.Output.Value) || !out.Address.Equal(l.Address(tt.account)) {
					t.Errorf("UTxO %d round trip: %v %v", i, err1, err2)
				}
				forms[major(items[1])] = true
				forms[int(b[0])] = true
			}
			if tt.account == "demo" && !(forms[majorArray] && forms[majorMap] && forms[0x9f] && forms[0x82]) {
				t.Errorf("demo should serve legacy and map outputs, definite and indefinite wrappers: %v", forms)
			}
		})
	}
	if _, err := l.UTxOs("Not Valid"); !errors.Is(err, ErrAccount) {
		t.Errorf("bad account name: %v", err)
	}
}

func TestAddressesAndKeys(t *testing.T) {
	a := KeyFor("demo").Address(Preprod)
	if s := a.String(); !strings.HasPrefix(s, "addr_test1") || len(a) != 57 || a[0] != 0x00 {
		t.Errorf("preprod address %s (%d bytes, header %#x)", s, len(a), a[0])
	}
	m := KeyFor("demo").Address(Mainnet)
	if s := m.String(); !strings.HasPrefix(s, "addr1") || m[0] != 0x01 {
		t.Errorf("mainnet address %s", s)
	}
	back, err := ParseAddress(a.String())
	if err != nil || !back.Equal(a) {
		t.Errorf("bech32 round trip: %v", err)
	}
	if back, err := ParseAddress(a.Hex()); err != nil || !back.Equal(a) {
		t.Errorf("hex round trip: %v", err)
	}
	if r := KeyFor("demo").RewardAddress(Preprod); !strings.HasPrefix(r.String(), "stake_test1") || len(r) != 29 {
		t.Errorf("reward address %s", r)
	}
	// Deterministic: the same name always gives the same key.
	if !bytes.Equal(KeyFor("demo").PublicKey(), KeyFor("demo").PublicKey()) || bytes.Equal(KeyFor("demo").PublicKey(), KeyFor("demo2").PublicKey()) {
		t.Error("keys are not a function of the name")
	}
	if kh, ok := a.PaymentKeyHash(); !ok || kh != KeyFor("demo").Hash() {
		t.Error("payment key hash of the base address")
	}
	if PolicySNEK == PolicyHOSKY || len(PolicyNFT.String()) != 56 {
		t.Error("policy ids")
	}
}

func TestSlots(t *testing.T) {
	at := time.Unix(1655683200+1000, 0)
	if got := Preprod.Slot(at); got != 1000 {
		t.Errorf("preprod slot %d", got)
	}
	if got := Mainnet.Slot(time.Unix(1591566291+7, 0)); got != 7 {
		t.Errorf("mainnet slot %d", got)
	}
	if got := Preview.Slot(time.Unix(1666656000+9, 0)); got != 9 {
		t.Errorf("preview slot %d", got)
	}
	if !Preprod.SlotTime(1000).Equal(at) {
		t.Error("SlotTime")
	}
}

func TestSign(t *testing.T) {
	l, _ := newTestLedger(t)
	// Build signed (so the fee covers a witness), then hand the wallet the
	// body with an empty witness set.
	s := payment(t, l, 0, 3_000_000)
	_, body := s.Build()
	unsigned := ledgertest.Tx(body, ledgertest.WitnessSet(false), s.Aux)
	ws, err := l.Sign("alice", unsigned, false)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	signed := ledgertest.Tx(body, ws, s.Aux)
	if _, err := l.Apply(signed, 0); err != nil {
		t.Fatalf("the ledger refuses the wallet's own witnesses: %v", err)
	}

	// bob owns none of alice's inputs.
	s2 := payment(t, l, 1, 3_000_000)
	_, body2 := s2.Build()
	unsigned2 := ledgertest.Tx(body2, ledgertest.WitnessSet(false), s2.Aux)
	if _, err := l.Sign("bob", unsigned2, false); !errors.Is(err, ErrCannotSign) {
		t.Errorf("bob signing alice's tx: %v, want ErrCannotSign", err)
	}
	ws, err = l.Sign("bob", unsigned2, true)
	if err != nil || hex.EncodeToString(ws) != "a0" {
		t.Errorf("partial sign with nothing to sign = %x, %v; want an empty witness set", ws, err)
	}
}
