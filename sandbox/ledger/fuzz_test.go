package ledger

import (
	"bytes"
	"testing"

	"github.com/tbackend/sdk/sandbox/ledger/ledgertest"
	"golang.org/x/crypto/blake2b"
)

// FuzzDecode: garbage gives an error, never a panic; what decodes keeps its
// body bytes verbatim. The committed corpus is in testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	l := New(Config{Now: (&clock{t: testNow}).now})
	u, _ := l.UTxOs("alice")
	s := ledgertest.Spend{
		Inputs:   []ledgertest.Input{{TxID: u[1].Input.TxID, Index: u[1].Input.Index}},
		InCoin:   u[1].Output.Value.Coin,
		InAssets: testAssets(u[1].Output.Value),
		Outputs:  []ledgertest.Output{{Address: l.Address(Payee), Coin: 2_000_000, MapForm: true}},
		Change:   l.Address("alice"),
		TTL:      l.Slot() + 600,
		Aux:      ledgertest.Messages("invoice inv_seed"),
		TagSets:  true,
	}
	good, _ := s.Build()
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte{0x84, 0xa0, 0xa0, 0xf5, 0xf6})
	f.Add([]byte{0x9f, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		tx, err := Decode(data)
		if err != nil {
			if Reason(err) == "" {
				t.Fatal("an error without a reason")
			}
			return
		}
		if !bytes.Contains(data, tx.Body) || tx.Hash != blake2b.Sum256(tx.Body) {
			t.Fatal("the body is not kept verbatim")
		}
		_ = tx.Messages()
		_, _ = l.Verify(data)
	})
}
