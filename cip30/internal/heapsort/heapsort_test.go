package heapsort

import (
	"math/rand"
	"slices"
	"testing"
)

func TestSort(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for n := range 200 {
		a := make([]int, n)
		for i := range a {
			a[i] = r.Intn(50)
		}
		want := slices.Clone(a)
		slices.Sort(want)
		Sort(len(a), func(i, j int) bool { return a[i] < a[j] }, func(i, j int) { a[i], a[j] = a[j], a[i] })
		if !slices.Equal(a, want) {
			t.Fatalf("n=%d: %v", n, a)
		}
	}
}
