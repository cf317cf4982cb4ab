"""add_then_rotate_py: the README's first kernel: a[i] + b[i] through shared memory, rotated by one within each block."""

from tinygpu.lang import array, barrier, block_dim, block_idx, kernel, shared, thread_idx

a = array(base=0, data=[1, 2, 3, 4, 5, 6, 7, 8])   # global bytes at 0..7
b = array(base=8, data=[10, 20, 30, 40, 50, 60, 70, 80])
c = array(base=16, size=8)                          # output, 8 bytes at 16..23
tile = shared(size=4)                               # per-block shared memory


@kernel(threads=8)
def add_then_rotate():
    i = block_idx * block_dim + thread_idx
    tile[thread_idx] = a[i] + b[i]
    barrier()
    nxt = thread_idx + 1
    if nxt == block_dim:
        nxt = 0
    c[i] = tile[nxt]
