"""prefix_sum_py: inclusive prefix sum of each block (Hillis-Steele, double-buffered in shared memory), in Python (prefix_sum.asm by hand)."""

from tinygpu.lang import array, barrier, block_dim, block_idx, kernel, shared, thread_idx

x = array(base=0, data=[3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8])
out = array(base=32, size=12)
buf = shared(size=16)  # two buffers of a block's elements, src and dst, swapped each step


@kernel(threads=12)
def prefix_sum():
    i = block_idx * block_dim + thread_idx
    v = x[i]
    buf[thread_idx] = v
    src = 0
    dst = block_dim
    d = 1
    while d < block_dim:
        barrier()  # the last step's buffer is complete
        v = buf[src + thread_idx]
        if thread_idx >= d:
            v += buf[src + thread_idx - d]
        buf[dst + thread_idx] = v
        swap = src
        src = dst
        dst = swap
        d += d
    out[i] = v
