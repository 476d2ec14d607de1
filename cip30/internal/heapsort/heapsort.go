// Package heapsort sorts through index callbacks. Unlike slices.SortFunc,
// whose code is instantiated again for every element type (several KB of
// WebAssembly each), one copy serves every caller; heapsort needs no
// extra memory and is O(n log n) in the worst case. It is not stable:
// callers sort by total orders.
package heapsort

// Sort sorts the n elements that less and swap address by index.
func Sort(n int, less func(i, j int) bool, swap func(i, j int)) {
	for i := n/2 - 1; i >= 0; i-- {
		siftDown(i, n, less, swap)
	}
	for end := n - 1; end > 0; end-- {
		swap(0, end)
		siftDown(0, end, less, swap)
	}
}

func siftDown(root, n int, less func(i, j int) bool, swap func(i, j int)) {
	for {
		child := 2*root + 1
		if child >= n {
			return
		}
		if child+1 < n && less(child, child+1) {
			child++
		}
		if !less(root, child) {
			return
		}
		swap(root, child)
		root = child
	}
}
