"""reverse_py: each block's elements reversed through shared memory, in Python (reverse.asm by hand)."""

from tinygpu.lang import array, barrier, block_dim, block_idx, kernel, shared, thread_idx

x = array(base=0, data=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16])
out = array(base=32, size=16)
tile = shared(size=8)  # one byte per thread of a block (blocks of up to 8 threads)


@kernel(threads=16)
def reverse():
    i = block_idx * block_dim + thread_idx
    tile[thread_idx] = x[i]
    barrier()  # the whole block's elements are in shared memory
    out[i] = tile[block_dim - 1 - thread_idx]
