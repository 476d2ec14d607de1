package cip30

import (
	"bytes"
	"errors"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

var tokenA, tokenB = asset(0xaa, "TOKEN"), asset(0xbb, "NFT")

type scenario struct {
	name   string
	keys   []testKey
	utxos  []UTxO
	spec   PaymentSpec
	expect func(t *testing.T, p *Payment)
}

func payTo(t testing.TB, i int) Address { return newTestKey(100 + i).enterprise(t) }

// scenarios are shared by the Go checks and the cardano-serialization-lib
// check.
func scenarios(t testing.TB) []scenario {
	k0, k1 := newTestKey(0), newTestKey(1)
	a0, a1 := k0.address(t, false), k1.address(t, false)
	ada := func(n uint64) Value { return Lovelace(n * 1_000_000) }
	withTokens := func(coin uint64, m map[AssetID]uint64) Value { return Value{Coin: coin, Assets: m} }
	manyTokens := map[AssetID]uint64{}
	for i := range 300 {
		id := asset(byte(i%3), strings.Repeat("x", 20)+string(rune('A'+i/26%26))+string(rune('a'+i%26))+string(rune('0'+i/676)))
		manyTokens[id] = uint64(i + 1)
	}
	var dust []UTxO
	for i := range 40 {
		dust = append(dust, mkUTxO(t, 0x40, uint32(i), a0, Lovelace(1_200_000)))
	}
	return []scenario{
		{name: "ada only, invoice with split", keys: []testKey{k0},
			utxos: []UTxO{mkUTxO(t, 1, 0, a0, ada(3)), mkUTxO(t, 2, 1, a0, ada(50)), mkUTxO(t, 3, 0, a0, ada(10))},
			spec: PaymentSpec{Outputs: []Output{{payTo(t, 0), ada(10)}, {payTo(t, 1), ada(2)}}, Change: a0, TTL: 90_000_000,
				Message: []string{"tbackend invoice inv_0123456789"}},
			expect: func(t *testing.T, p *Payment) {
				if len(p.Inputs) != 1 || p.Inputs[0].TxHash[0] != 2 {
					t.Errorf("largest-first should take the 50 ADA UTxO alone: %v", p.Inputs)
				}
				if p.Change.Coin != 50_000_000-12_000_000-p.Fee || p.Change.HasAssets() {
					t.Errorf("change %v", p.Change)
				}
			}},
		{name: "only token utxos", keys: []testKey{k0},
			utxos: []UTxO{
				mkUTxO(t, 4, 0, a0, withTokens(3_000_000, map[AssetID]uint64{tokenA: 100})),
				mkUTxO(t, 5, 0, a0, withTokens(8_000_000, map[AssetID]uint64{tokenA: 1, tokenB: 1})),
			},
			spec: PaymentSpec{Outputs: []Output{{payTo(t, 0), ada(9)}}, Change: a0, TTL: 90_000_000, Message: []string{"only tokens"}},
			expect: func(t *testing.T, p *Payment) {
				if p.Change.Assets[tokenA] != 101 || p.Change.Assets[tokenB] != 1 {
					t.Errorf("every token must come back: %v", p.Change.Assets)
				}
			}},
		{name: "two keys, min-ADA change with tokens adds an input", keys: []testKey{k0, k1},
			utxos: []UTxO{
				mkUTxO(t, 6, 0, a0, withTokens(5_100_000, map[AssetID]uint64{tokenA: 7})),
				mkUTxO(t, 7, 0, a1, ada(2)),
				mkUTxO(t, 7, 1, a1, withTokens(3_000_000, map[AssetID]uint64{tokenB: 1})),
			},
			spec: PaymentSpec{Outputs: []Output{{payTo(t, 0), ada(6)}}, Change: a0, TTL: 90_000_000, Message: []string{"two keys"}},
			expect: func(t *testing.T, p *Payment) {
				// 2 + 5.1 ADA pays 6 but leaves too little for a change
				// output carrying the token: a third input is needed.
				if len(p.Inputs) != 3 || len(p.Signers) != 2 {
					t.Errorf("inputs %v signers %d", p.Inputs, len(p.Signers))
				}
				if p.Change.Assets[tokenA] != 7 || p.Change.Assets[tokenB] != 1 {
					t.Errorf("change %v", p.Change)
				}
			}},
		{name: "leftover folded into the fee", keys: []testKey{k0},
			utxos: []UTxO{mkUTxO(t, 8, 0, a0, Lovelace(2_300_000))},
			spec:  PaymentSpec{Outputs: []Output{{payTo(t, 0), ada(2)}}, Change: a0, TTL: 90_000_000, Message: []string{"fold"}},
			expect: func(t *testing.T, p *Payment) {
				if !p.Change.IsZero() || len(p.Outputs) != 1 || p.Fee != 300_000 {
					t.Errorf("fee %d change %v outputs %d", p.Fee, p.Change, len(p.Outputs))
				}
			}},
		{name: "payment with a token, no message", keys: []testKey{k0},
			utxos: []UTxO{mkUTxO(t, 9, 0, a0, ada(20)), mkUTxO(t, 10, 3, a0, withTokens(2_000_000, map[AssetID]uint64{tokenB: 5}))},
			spec:  PaymentSpec{Outputs: []Output{{payTo(t, 0), withTokens(1_500_000, map[AssetID]uint64{tokenB: 2})}}, Change: a0, TTL: 90_000_000},
			expect: func(t *testing.T, p *Payment) {
				if p.Change.Assets[tokenB] != 3 || p.AuxData != nil {
					t.Errorf("change %v aux %x", p.Change, p.AuxData)
				}
			}},
		{name: "huge token bundle split into several change outputs", keys: []testKey{k0},
			utxos: []UTxO{mkUTxO(t, 11, 0, a0, withTokens(40_000_000, manyTokens))},
			spec:  PaymentSpec{Outputs: []Output{{payTo(t, 0), ada(2)}}, Change: a0, TTL: 90_000_000, Message: []string{"many tokens"}},
			expect: func(t *testing.T, p *Payment) {
				if len(p.Outputs) < 3 {
					t.Errorf("expected the change to be split, got %d outputs", len(p.Outputs))
				}
				for _, o := range p.Outputs {
					if n := len(o.Value.Bytes()); n > MaxValueSize {
						t.Errorf("value of %d bytes", n)
					}
				}
				if len(p.Change.Assets) != 300 {
					t.Errorf("change has %d tokens", len(p.Change.Assets))
				}
			}},
		{name: "many small utxos, long message", keys: []testKey{k0},
			utxos: dust,
			spec: PaymentSpec{Outputs: []Output{{payTo(t, 0), ada(30)}}, Change: a0, TTL: 90_000_000,
				Message: []string{strings.Repeat("é", 40) + " invoice inv_long"}},
			expect: func(t *testing.T, p *Payment) {
				if len(p.Inputs) < 26 {
					t.Errorf("%d inputs", len(p.Inputs))
				}
			}},
	}
}

func TestBuildPaymentScenarios(t *testing.T) {
	for _, sc := range scenarios(t) {
		t.Run(sc.name, func(t *testing.T) {
			spec := sc.spec
			spec.UTxOs = sc.utxos
			p, err := BuildPayment(spec)
			if err != nil {
				t.Fatal(err)
			}
			msg, _ := splitMessage(spec.Message)
			signed, err := AttachWitnesses(p.Tx, walletSign(t, p.Hash, keysFor(p, sc.keys...), false))
			if err != nil {
				t.Fatal(err)
			}
			checkSignedTx(t, p, signed, sc.utxos, MainnetParams, msg)
			if sc.expect != nil {
				sc.expect(t, p)
			}
			// The fee is the fixed point: exactly the minimum for the
			// estimated signed size, unless a leftover was folded in.
			if min := MainnetParams.MinFeeA*uint64(p.Size) + MainnetParams.MinFeeB; p.Fee < min || (!p.Change.IsZero() && p.Fee != min) {
				t.Errorf("fee %d, minimum for the estimate %d", p.Fee, min)
			}
			// Deterministic, whatever order the wallet listed its UTxOs in.
			shuffled := append([]UTxO(nil), sc.utxos...)
			rand.New(rand.NewSource(1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			spec.UTxOs = shuffled
			q, err := BuildPayment(spec)
			if err != nil || !bytes.Equal(q.Tx, p.Tx) {
				t.Errorf("not deterministic: %v", err)
			}
			ins, err := TxInputs(signed)
			if err != nil || len(ins) != len(p.Inputs) || ins[0] != p.Inputs[0] {
				t.Errorf("TxInputs: %v %v", ins, err)
			}
		})
	}
}

func TestBuildPaymentInsufficient(t *testing.T) {
	k := newTestKey(0)
	a := k.address(t, false)
	utxos := []UTxO{mkUTxO(t, 1, 0, a, Lovelace(3_000_000)), mkUTxO(t, 2, 0, a, Lovelace(4_000_000))}
	_, err := BuildPayment(PaymentSpec{Outputs: []Output{{payTo(t, 0), Lovelace(10_000_000)}}, Change: a, UTxOs: utxos, TTL: 1000})
	var ie *InsufficientFundsError
	if !errors.Is(err, ErrInsufficientFunds) || !errors.As(err, &ie) {
		t.Fatalf("err = %v", err)
	}
	if ie.Have.Coin != 7_000_000 || ie.Need.Coin <= 10_000_000 || ie.Fee == 0 {
		t.Errorf("need %v have %v fee %d", ie.Need, ie.Have, ie.Fee)
	}
	msg := err.Error()
	if !strings.Contains(msg, "but the wallet can spend 7 ADA") || !strings.Contains(msg, "needs 10.1") {
		t.Errorf("message: %s", msg)
	}
	// Missing token.
	_, err = BuildPayment(PaymentSpec{Outputs: []Output{{payTo(t, 0), Value{Coin: 2_000_000, Assets: map[AssetID]uint64{tokenA: 1}}}}, Change: a, UTxOs: utxos, TTL: 1000})
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "of token "+tokenA.String()+" and has 0") {
		t.Errorf("token: %v", err)
	}
	// Exclude honoured: the only big UTxO is held by a pending payment.
	utxos = append(utxos, mkUTxO(t, 3, 0, a, Lovelace(100_000_000)))
	spec := PaymentSpec{Outputs: []Output{{payTo(t, 0), Lovelace(10_000_000)}}, Change: a, UTxOs: utxos, TTL: 1000, Exclude: []Input{utxos[2].Input}}
	_, err = BuildPayment(spec)
	if !errors.As(err, &ie) || ie.Skipped != 1 || !strings.Contains(err.Error(), "1 UTxOs held by pending payments") {
		t.Errorf("exclude: %v", err)
	}
	spec.Exclude = nil
	p, err := BuildPayment(spec)
	if err != nil || p.Inputs[0] != utxos[2].Input {
		t.Errorf("without exclude: %v", err)
	}
}

func TestBuildPaymentSkipsUnsupportedUTxOs(t *testing.T) {
	k := newTestKey(0)
	a := k.address(t, false)
	script, _ := AddressFromBytes(append([]byte{0x70}, bytes.Repeat([]byte{9}, 28)...))
	withRef := mkUTxO(t, 3, 0, a, Lovelace(90_000_000))
	withRef.HasScriptRef = true
	utxos := []UTxO{
		mkUTxO(t, 1, 0, script, Lovelace(90_000_000)),
		withRef,
		mkUTxO(t, 4, 0, k.address(t, true), Lovelace(90_000_000)), // another network
		mkUTxO(t, 5, 0, a, Lovelace(20_000_000)),
	}
	p, err := BuildPayment(PaymentSpec{Outputs: []Output{{payTo(t, 0), Lovelace(10_000_000)}}, Change: a, UTxOs: utxos, TTL: 1000})
	if err != nil || len(p.Inputs) != 1 || p.Inputs[0] != utxos[3].Input {
		t.Fatalf("%v %v", p, err)
	}
}

func TestBuildPaymentTooLarge(t *testing.T) {
	k := newTestKey(0)
	a := k.address(t, false)
	var utxos []UTxO
	for i := range 500 {
		utxos = append(utxos, mkUTxO(t, byte(i/200+1), uint32(i), a, Lovelace(1_000_000)))
	}
	_, err := BuildPayment(PaymentSpec{Outputs: []Output{{payTo(t, 0), Lovelace(450_000_000)}}, Change: a, UTxOs: utxos, TTL: 1000})
	var te *TxTooLargeError
	if !errors.Is(err, ErrTxTooLarge) || !errors.As(err, &te) || te.Max != 16384 || te.Size <= 16384 || errors.Is(err, ErrTooManyTokens) {
		t.Fatalf("err = %v", err)
	}
	// Tokens that cannot fit in the change.
	tokens := map[AssetID]uint64{}
	for i := range 200 {
		tokens[asset(byte(i), strings.Repeat("t", 32))] = 1
	}
	u := mkUTxO(t, 9, 0, a, Value{Coin: 100_000_000, Assets: tokens})
	p := MainnetParams
	p.MaxTxSize = 4000
	_, err = BuildPayment(PaymentSpec{Outputs: []Output{{payTo(t, 0), Lovelace(2_000_000)}}, Change: a, UTxOs: []UTxO{u}, TTL: 1000, Params: p})
	if !errors.Is(err, ErrTooManyTokens) || !errors.Is(err, ErrTxTooLarge) {
		t.Fatalf("tokens: %v", err)
	}
}

func TestBuildPaymentInvalid(t *testing.T) {
	k := newTestKey(0)
	a := k.address(t, false)
	utxos := []UTxO{mkUTxO(t, 1, 0, a, Lovelace(30_000_000))}
	reward, _ := AddressFromBytes(append([]byte{0xe0}, k.hash[:]...))
	ok := Output{payTo(t, 0), Lovelace(2_000_000)}
	tests := map[string]PaymentSpec{
		"no outputs":        {Change: a, UTxOs: utxos, TTL: 1},
		"no change":         {Outputs: []Output{ok}, UTxOs: utxos, TTL: 1},
		"reward change":     {Outputs: []Output{ok}, Change: reward, UTxOs: utxos, TTL: 1},
		"reward output":     {Outputs: []Output{{reward, Lovelace(2_000_000)}}, Change: a, UTxOs: utxos, TTL: 1},
		"network mix":       {Outputs: []Output{{newTestKey(3).address(t, true), Lovelace(2_000_000)}}, Change: a, UTxOs: utxos, TTL: 1},
		"no ttl":            {Outputs: []Output{ok}, Change: a, UTxOs: utxos},
		"bad utf-8 message": {Outputs: []Output{ok}, Change: a, UTxOs: utxos, TTL: 1, Message: []string{"\xff"}},
	}
	for name, spec := range tests {
		if _, err := BuildPayment(spec); !errors.Is(err, ErrInvalidPayment) {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, err := BuildPayment(PaymentSpec{Outputs: []Output{ok, {payTo(t, 1), Lovelace(800_000)}}, Change: a, UTxOs: utxos, TTL: 1})
	var be *BelowMinADAError
	if !errors.As(err, &be) || be.Index != 1 || be.Have != 800_000 || be.Need != (160+39)*4310 {
		t.Fatalf("below min ADA: %v", err)
	}
	if !strings.Contains(err.Error(), "output 1 pays 0.8 ADA, below the minimum of 0.85769 ADA") {
		t.Errorf("message: %s", err)
	}
}

func TestMinADA(t *testing.T) {
	a := payTo(t, 0) // 29-byte enterprise address
	// {0: bytes(29), 1: coin}: 1 + 1 + 2+29 + 1 + coin (5 bytes) = 39
	if got := MinADA(Output{a, Lovelace(0)}, MainnetParams); got != (160+39)*4310 {
		t.Errorf("coin only: %d", got)
	}
	// A coin of 9 bytes costs 4 more bytes.
	if got := MinADA(Output{a, Lovelace(1 << 40)}, MainnetParams); got != (160+43)*4310 {
		t.Errorf("large coin: %d", got)
	}
	v := Value{Assets: map[AssetID]uint64{tokenA: 1}}
	// [coin, {policy: {"TOKEN": 1}}] = 1 + 5 + 1 + 30 + 1 + 6 + 1 = 45
	if got := MinADA(Output{a, v}, MainnetParams); got != (160+1+1+31+1+45)*4310 {
		t.Errorf("with token: %d", got)
	}
}

func TestSplitMessage(t *testing.T) {
	long := strings.Repeat("a", 63) + "é" + strings.Repeat("b", 70)
	got, err := splitMessage([]string{"short", long, ""})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 || got[0] != "short" || got[1] != strings.Repeat("a", 63) || got[4] != "" {
		t.Errorf("%q", got)
	}
	if strings.Join(got[1:4], "") != long {
		t.Error("split lost text")
	}
	for _, l := range got {
		if len(l) > 64 || !utf8.ValidString(l) {
			t.Errorf("bad line %q", l)
		}
	}
}

func TestSlot(t *testing.T) {
	tm := mustTime(t, "2025-01-01T00:00:00Z")
	for net, want := range map[string]uint64{"mainnet": 1735689600 - 1591566291, "preprod": 1735689600 - 1655683200, "preview": 1735689600 - 1666656000} {
		got, err := Slot(net, tm)
		if err != nil || got != want {
			t.Errorf("%s: %d %v", net, got, err)
		}
	}
	if _, err := Slot("testnet", tm); !errors.Is(err, ErrUnknownNetwork) {
		t.Errorf("unknown: %v", err)
	}
	if _, err := Slot("mainnet", mustTime(t, "2020-07-01T00:00:00Z")); !errors.Is(err, ErrBeforeShelley) {
		t.Errorf("before shelley: %v", err)
	}
	if s, err := Slot("mainnet", mustTime(t, "2020-07-29T21:44:51Z")); err != nil || s != 4492800 {
		t.Errorf("shelley start: %d %v", s, err)
	}
	for net, want := range map[string]byte{"mainnet": 1, "preprod": 0, "preview": 0} {
		if id, err := NetworkIDOf(net); err != nil || id != want {
			t.Errorf("%s: %d %v", net, id, err)
		}
	}
	if _, err := NetworkIDOf("Mainnet"); !errors.Is(err, ErrUnknownNetwork) {
		t.Error("names are exact")
	}
}

// A dust leftover goes to the fee only when that costs less than the
// extra input that would make a change output possible.
func TestFoldOrAddInput(t *testing.T) {
	k := newTestKey(0)
	a := k.address(t, false)
	out := []Output{{payTo(t, 0), Lovelace(2_000_000)}}
	build := func(coins ...uint64) *Payment {
		var us []UTxO
		for i, c := range coins {
			us = append(us, mkUTxO(t, byte(i+1), 0, a, Lovelace(c)))
		}
		p, err := BuildPayment(PaymentSpec{Outputs: out, Change: a, UTxOs: us, TTL: 1000})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if p := build(2_300_000, 1_500_000); len(p.Inputs) != 2 || p.Change.Coin == 0 || p.Fee > 200_000 {
		t.Errorf("a 0.3 ADA leftover should not be burnt: inputs %d fee %d", len(p.Inputs), p.Fee)
	}
	if p := build(2_167_000, 1_500_000); len(p.Inputs) != 1 || !p.Change.IsZero() || p.Fee != 167_000 {
		t.Errorf("a leftover smaller than the extra input's cost is folded: inputs %d fee %d", len(p.Inputs), p.Fee)
	}
	if p := build(2_300_000); len(p.Inputs) != 1 || p.Fee != 300_000 {
		t.Errorf("nothing else to add: fee %d", p.Fee)
	}
	_, err := BuildPayment(PaymentSpec{Outputs: out, Change: a, UTxOs: []UTxO{mkUTxO(t, 1, 0, a, Lovelace(2_100_000))}, TTL: 1000})
	if !errors.Is(err, ErrInsufficientFunds) {
		t.Errorf("a leftover below the fee: %v", err)
	}
}

func TestBuildPaymentSpendsRequiredInputs(t *testing.T) {
	a := newTestKey(0).address(t, false)
	utxos := []UTxO{mkUTxO(t, 1, 0, a, Lovelace(500_000_000)), mkUTxO(t, 2, 0, a, Lovelace(3_000_000))}
	spec := PaymentSpec{Outputs: []Output{{payTo(t, 0), Lovelace(1_000_000)}}, Change: a, UTxOs: utxos, TTL: 1000}
	free, err := BuildPayment(spec)
	if err != nil || len(free.Inputs) != 1 || free.Inputs[0] != utxos[0].Input {
		t.Fatalf("without Require: %v %v", free, err)
	}
	spec.Require = []Input{utxos[1].Input, {Index: 99}}
	p, err := BuildPayment(spec)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(p.Inputs, utxos[1].Input) {
		t.Fatalf("inputs %v do not include the required %v", p.Inputs, utxos[1].Input)
	}
}
