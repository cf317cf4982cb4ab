"""row_sums: docs/lang.md's example: each thread sums its row of a 2x2 matrix, weighted by its column."""

from tinygpu.lang import array, block_dim, block_idx, kernel, thread_idx

N = 2
a = array(base=0, data=[1, 2, 3, 4])
c = array(size=4)


@kernel(threads=4)
def row_sums():
    i = block_idx * block_dim + thread_idx
    row = i // N
    s = 0
    for k in range(N):
        s += a[row * N + k]
    c[i] = s * (i % N + 1)
