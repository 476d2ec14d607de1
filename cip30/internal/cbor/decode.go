package cbor

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	"github.com/tbackend/sdk/cip30/internal/heapsort"
)

// Limits bound what the decoder accepts. A zero field takes the value of
// DefaultLimits.
type Limits struct {
	MaxSize  int // bytes of input
	MaxDepth int // nesting of arrays, maps and tags
	MaxItems int // data items in total (string chunks included)
}

// DefaultLimits suit one Cardano transaction, output or witness set: the
// ledger caps transactions at 16 KiB today.
var DefaultLimits = Limits{MaxSize: 64 << 10, MaxDepth: 128, MaxItems: 1 << 16}

func (l Limits) withDefaults() Limits {
	if l.MaxSize <= 0 {
		l.MaxSize = DefaultLimits.MaxSize
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	if l.MaxItems <= 0 {
		l.MaxItems = DefaultLimits.MaxItems
	}
	return l
}

// Decode decodes exactly one data item that must span all of data. The
// returned item and its children alias data.
func Decode(data []byte, lim Limits) (Item, error) {
	it, n, err := DecodeFirst(data, lim)
	if err != nil {
		return Item{}, err
	}
	if n != len(data) {
		return Item{}, &Error{Offset: n, Err: ErrTrailing, Detail: strconv.Itoa(len(data)-n) + " bytes"}
	}
	return it, nil
}

// DecodeFirst decodes the data item at the start of data and returns how
// many bytes it took.
func DecodeFirst(data []byte, lim Limits) (Item, int, error) {
	lim = lim.withDefaults()
	if len(data) > lim.MaxSize {
		return Item{}, 0, &Error{Err: ErrTooLarge, Detail: strconv.Itoa(len(data)) + " bytes, the limit is " + strconv.Itoa(lim.MaxSize)}
	}
	d := decoder{data: data, lim: lim}
	it, err := d.item(0)
	if err != nil {
		return Item{}, 0, err
	}
	return it, d.pos, nil
}

type decoder struct {
	data  []byte
	pos   int
	lim   Limits
	items int
	keys  []byte // scratch for duplicate-key detection
}

const indefinite = 31

func (d *decoder) fail(off int, err error, detail string) error {
	return &Error{Offset: off, Err: err, Detail: detail}
}

// head reads an initial byte and its argument. For additional information
// 31 (indefinite length or break) arg is 0.
func (d *decoder) head() (major, ai byte, arg uint64, err error) {
	if d.pos >= len(d.data) {
		return 0, 0, 0, d.fail(d.pos, ErrTruncated, "")
	}
	start := d.pos
	b := d.data[d.pos]
	d.pos++
	major, ai = b>>5, b&31
	var n int
	switch {
	case ai < 24:
		return major, ai, uint64(ai), nil
	case ai == 24:
		n = 1
	case ai == 25:
		n = 2
	case ai == 26:
		n = 4
	case ai == 27:
		n = 8
	case ai == indefinite:
		return major, ai, 0, nil
	default:
		return 0, 0, 0, d.fail(start, ErrMalformed, "reserved additional information "+strconv.Itoa(int(ai)))
	}
	if len(d.data)-d.pos < n {
		return 0, 0, 0, d.fail(d.pos, ErrTruncated, "")
	}
	for _, c := range d.data[d.pos : d.pos+n] {
		arg = arg<<8 | uint64(c)
	}
	d.pos += n
	return major, ai, arg, nil
}

func (d *decoder) remaining() uint64 { return uint64(len(d.data) - d.pos) }

func (d *decoder) count(off int) error {
	d.items++
	if d.items > d.lim.MaxItems {
		return d.fail(off, ErrTooLarge, "more than "+strconv.Itoa(d.lim.MaxItems)+" items")
	}
	return nil
}

func (d *decoder) item(depth int) (Item, error) {
	start := d.pos
	if err := d.count(start); err != nil {
		return Item{}, err
	}
	major, ai, arg, err := d.head()
	if err != nil {
		return Item{}, err
	}
	var it Item
	switch major {
	case 0, 1:
		if ai == indefinite {
			return Item{}, d.fail(start, ErrMalformed, "indefinite-length integer")
		}
		it.Kind, it.Uint = KindUint, arg
		if major == 1 {
			it.Kind = KindNint
		}
	case 2, 3:
		it.Kind = KindBytes
		if major == 3 {
			it.Kind = KindText
		}
		if ai == indefinite {
			it.Indefinite = true
			it.Bytes, err = d.chunks(major)
		} else {
			it.Bytes, err = d.str(start, major, arg)
		}
		if err != nil {
			return Item{}, err
		}
	case 4, 5:
		if depth >= d.lim.MaxDepth {
			return Item{}, d.fail(start, ErrTooDeep, "more than "+strconv.Itoa(d.lim.MaxDepth)+" levels")
		}
		it.Kind = KindArray
		per := uint64(1)
		if major == 5 {
			it.Kind, per = KindMap, 2
		}
		if ai == indefinite {
			it.Indefinite = true
			for {
				if d.pos >= len(d.data) {
					return Item{}, d.fail(d.pos, ErrTruncated, "")
				}
				if d.data[d.pos] == 0xff {
					d.pos++
					break
				}
				for range per {
					child, err := d.item(depth + 1)
					if err != nil {
						return Item{}, err
					}
					it.Items = append(it.Items, child)
				}
			}
		} else {
			// Every element takes at least one byte: a longer claim is a lie
			// and must not size an allocation.
			if arg > d.remaining() || arg*per > d.remaining() {
				return Item{}, d.fail(start, ErrTruncated, "length "+strconv.FormatUint(arg, 10)+" exceeds the remaining input")
			}
			it.Items = make([]Item, int(arg*per))
			for i := range it.Items {
				if it.Items[i], err = d.item(depth + 1); err != nil {
					return Item{}, err
				}
			}
		}
		if major == 5 {
			if err := d.checkKeys(start, it.Items); err != nil {
				return Item{}, err
			}
		}
	case 6:
		if ai == indefinite {
			return Item{}, d.fail(start, ErrMalformed, "indefinite-length tag")
		}
		if depth >= d.lim.MaxDepth {
			return Item{}, d.fail(start, ErrTooDeep, "more than "+strconv.Itoa(d.lim.MaxDepth)+" levels")
		}
		child, err := d.item(depth + 1)
		if err != nil {
			return Item{}, err
		}
		it.Kind, it.Uint, it.Items = KindTag, arg, []Item{child}
	default: // 7
		switch ai {
		case 20, 21:
			it.Kind, it.Uint = KindBool, uint64(ai-20)
		case 22:
			it.Kind = KindNull
		case 25, 26, 27:
			return Item{}, d.fail(start, ErrUnsupported, "floating-point number")
		case indefinite:
			return Item{}, d.fail(start, ErrMalformed, "unexpected break")
		default:
			return Item{}, d.fail(start, ErrUnsupported, "simple value")
		}
	}
	it.Raw = d.data[start:d.pos:d.pos]
	return it, nil
}

// str reads the content of a definite-length string.
func (d *decoder) str(start int, major byte, n uint64) ([]byte, error) {
	if n > d.remaining() {
		return nil, d.fail(start, ErrTruncated, "length "+strconv.FormatUint(n, 10)+" exceeds the remaining input")
	}
	b := d.data[d.pos : d.pos+int(n) : d.pos+int(n)]
	if major == 3 && !utf8.Valid(b) {
		return nil, d.fail(start, ErrInvalidUTF8, "")
	}
	d.pos += int(n)
	return b, nil
}

// chunks reads the chunks of an indefinite-length string up to the break.
func (d *decoder) chunks(major byte) ([]byte, error) {
	out := []byte{}
	for {
		if d.pos >= len(d.data) {
			return nil, d.fail(d.pos, ErrTruncated, "")
		}
		if d.data[d.pos] == 0xff {
			d.pos++
			return out, nil
		}
		start := d.pos
		if err := d.count(start); err != nil {
			return nil, err
		}
		m, ai, n, err := d.head()
		if err != nil {
			return nil, err
		}
		if m != major || ai == indefinite {
			return nil, d.fail(start, ErrMalformed, "bad chunk in an indefinite-length string")
		}
		b, err := d.str(start, major, n)
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
	}
}

// checkKeys rejects a map whose keys hold the same value twice, however
// each was encoded.
func (d *decoder) checkKeys(start int, kv []Item) error {
	n := len(kv) / 2
	if n < 2 {
		return nil
	}
	d.keys = d.keys[:0]
	offs := make([]int, n+1)
	for i := range n {
		var err error
		if d.keys, err = AppendCanonical(d.keys, &kv[2*i]); err != nil {
			return d.fail(start, ErrMalformed, err.Error())
		}
		offs[i+1] = len(d.keys)
	}
	key := func(i int) []byte { return d.keys[offs[i]:offs[i+1]] }
	if n <= 8 {
		for i := range n {
			for j := i + 1; j < n; j++ {
				if bytes.Equal(key(i), key(j)) {
					return d.fail(start, ErrDuplicateKey, "")
				}
			}
		}
		return nil
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	heapsort.Sort(n, func(a, b int) bool { return bytes.Compare(key(idx[a]), key(idx[b])) < 0 },
		func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
	for i := 1; i < n; i++ {
		if bytes.Equal(key(idx[i-1]), key(idx[i])) {
			return d.fail(start, ErrDuplicateKey, "")
		}
	}
	return nil
}
