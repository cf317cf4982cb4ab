"""matadd_py: C[i] = A[i] + B[i] over two 1x8 byte vectors, in Python (matadd.asm by hand)."""

from tinygpu.lang import array, block_dim, block_idx, kernel, thread_idx

a = array(base=0, data=[0, 1, 2, 3, 4, 5, 6, 7])
b = array(data=[0, 1, 2, 3, 4, 5, 6, 7])  # base left out: right after a, at 8
c = array(size=8)                          # the output, at 16


@kernel(threads=8)
def matadd():
    i = block_idx * block_dim + thread_idx
    c[i] = a[i] + b[i]
