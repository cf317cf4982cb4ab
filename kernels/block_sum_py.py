"""block_sum_py: tree reduction in shared memory, OUT[b] = the sum of block b's elements, in Python (block_sum.asm by hand)."""

from tinygpu.lang import array, barrier, block_dim, block_idx, kernel, shared, thread_idx

x = array(base=0, data=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16])
out = array(base=32, size=16)  # one sum per block
part = shared(size=8)


@kernel(threads=16)
def block_sum():
    i = block_idx * block_dim + thread_idx
    part[thread_idx] = x[i]
    barrier()
    s = block_dim // 2
    while s > 0:
        if thread_idx < s:
            part[thread_idx] += part[thread_idx + s]
        barrier()  # this step's sums are written before the next step reads them
        s = s // 2
    if thread_idx == 0:
        out[block_idx] = part[0]
