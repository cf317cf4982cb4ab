"""transpose_py: transpose of an 8 x N matrix through an N x N shared tile per block, in Python (transpose.asm by hand)."""

from tinygpu.lang import array, barrier, block_dim, block_idx, kernel, shared, thread_idx

ROWS = 8  # the rows of A: one thread each
a = array(base=0, data=[3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0,
                        7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4])
out = array(base=128, size=64)  # N x ROWS
tile = shared(size=64)


@kernel(threads=ROWS)
def transpose():
    r0 = block_idx * block_dim  # the tile's first row of A
    for j in range(block_dim):  # coalesced reads: thread t reads column t of row r0 + j
        tile[j * block_dim + thread_idx] = a[(r0 + j) * block_dim + thread_idx]
    barrier()
    for j in range(block_dim):  # coalesced writes: thread t writes column r0 + t of row j
        out[j * ROWS + r0 + thread_idx] = tile[thread_idx * block_dim + j]
