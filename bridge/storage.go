//go:build js && wasm

package bridge

import (
	"errors"

	"github.com/hack-pad/safejs"

	"github.com/tbackend/sdk/bridge/jsutil"
	"github.com/tbackend/sdk/cip30/payer"
)

// localStore is the payer journal in window.localStorage, so that a reload
// finds the payments under way.
type localStore struct{ ls safejs.Value }

// journalStore returns localStorage when it works (it throws in some
// private modes and sandboxed frames), else memory.
func journalStore() payer.Store {
	ls, err := jsutil.Global().Get("localStorage")
	if err != nil || jsutil.Kind(ls) != safejs.TypeObject {
		return &payer.MemoryStore{}
	}
	s := localStore{ls}
	const probe = "tbackend.probe"
	if s.Set(probe, "1") != nil || s.Delete(probe) != nil {
		return &payer.MemoryStore{}
	}
	return s
}

func (s localStore) Get(key string) (string, bool, error) {
	v, err := s.ls.Call("getItem", key)
	if err != nil {
		return "", false, err
	}
	if v.IsNull() || jsutil.Kind(v) != safejs.TypeString {
		return "", false, nil
	}
	str, _ := v.String()
	return str, true, nil
}

func (s localStore) Set(key, value string) error {
	_, err := s.ls.Call("setItem", key, value)
	if err != nil {
		return errors.New("localStorage refused the write (full or disabled)")
	}
	return nil
}

func (s localStore) Delete(key string) error {
	_, err := s.ls.Call("removeItem", key)
	return err
}

func (s localStore) Keys() ([]string, error) {
	keys, err := jsutil.Get("Object").Call("keys", s.ls)
	if err != nil {
		return nil, err
	}
	n, _ := keys.Length()
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		k, _ := keys.Index(i)
		str, _ := k.String()
		out = append(out, str)
	}
	return out, nil
}
