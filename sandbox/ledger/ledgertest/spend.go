package ledgertest

import (
	"crypto/ed25519"
	"fmt"

	"github.com/fxamacker/cbor/v2"
)

// Spend describes a balanced payment: inputs holding InCoin and InAssets,
// the outputs, and change to Change carrying whatever is left (every token
// included), the fee being the minimum for the final size plus Slack.
type Spend struct {
	Inputs   []Input
	InCoin   uint64
	InAssets Assets
	Outputs  []Output
	Change   []byte
	// ChangeMap writes the change output in map form.
	ChangeMap bool
	TTL       uint64
	Aux       []byte // auxiliary data; its hash goes in body key 7
	Keys      []ed25519.PrivateKey
	TagSets   bool
	Slack     uint64
	// MinFeeA and MinFeeB default to 44 and 155381.
	MinFeeA, MinFeeB uint64
	// Tamper edits the balanced body before it is signed (single-defect tests).
	Tamper func(*Body)
}

// Build returns the signed transaction and its body bytes.
func (s Spend) Build() (tx, body []byte) {
	a, b := s.MinFeeA, s.MinFeeB
	if a == 0 {
		a = 44
	}
	if b == 0 {
		b = 155381
	}
	// The fee only grows, so this settles within a few rounds on the
	// least fee that covers the final size.
	var out Body
	fee := b
	for {
		out = s.body(fee)
		tx, body = s.sign(out)
		need := a*uint64(len(tx)) + b + s.Slack
		if need <= fee {
			break
		}
		fee = need
	}
	if s.Tamper != nil {
		s.Tamper(&out)
		tx, body = s.sign(out)
	}
	return tx, body
}

func (s Spend) body(fee uint64) Body {
	spent := fee
	left := Assets{}
	for p, names := range s.InAssets {
		for n, q := range names {
			if left[p] == nil {
				left[p] = map[string]uint64{}
			}
			left[p][n] = q
		}
	}
	for _, o := range s.Outputs {
		spent += o.Coin
		for p, names := range o.Assets {
			for n, q := range names {
				if left[p][n] < q {
					panic(fmt.Sprintf("ledgertest: outputs spend more of %x.%x than the inputs hold", p, n))
				}
				left[p][n] -= q
				if left[p][n] == 0 {
					delete(left[p], n)
				}
				if len(left[p]) == 0 {
					delete(left, p)
				}
			}
		}
	}
	if spent > s.InCoin {
		panic(fmt.Sprintf("ledgertest: outputs and fee (%d) exceed the inputs (%d)", spent, s.InCoin))
	}
	outs := append([]Output(nil), s.Outputs...)
	outs = append(outs, Output{Address: s.Change, Coin: s.InCoin - spent, Assets: left, MapForm: s.ChangeMap})
	bd := Body{Inputs: s.Inputs, Outputs: outs, Fee: fee, TTL: s.TTL, TagSets: s.TagSets}
	if s.Aux != nil {
		h := Hash(s.Aux)
		bd.AuxHash = h[:]
	}
	return bd
}

func (s Spend) sign(bd Body) (tx, body []byte) {
	body = bd.Encode()
	var ws []cbor.RawMessage
	for _, k := range s.Keys {
		ws = append(ws, Witness(body, k))
	}
	return Tx(body, WitnessSet(true, ws...), s.Aux), body
}
