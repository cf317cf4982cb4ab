"""matmul_py: C = A x B for 2x2 byte matrices, one thread per element of C, in Python (matmul.asm by hand)."""

from tinygpu.lang import array, block_dim, block_idx, kernel, thread_idx

N = 2
a = array(base=0, data=[1, 2, 3, 4])  # row-major N x N
b = array(data=[1, 2, 3, 4])
c = array(size=N * N)


@kernel(threads=N * N)
def matmul():
    i = block_idx * block_dim + thread_idx
    row = i // N
    col = i % N
    acc = 0
    for k in range(N):
        acc += a[row * N + k] * b[k * N + col]
    c[i] = acc
