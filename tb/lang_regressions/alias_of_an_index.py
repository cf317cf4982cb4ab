"""alias_of_an_index: a variable assigned once from thread_idx is that register (no copy).

Found while writing the compiler: the constant-folding pass renamed the variable's own
assignment to the read-only register and stopped on an assertion. Kept so that the case
(and a reassigned variable next to it, which must stay a copy) is compiled on every run.
"""

from tinygpu.lang import array, block_dim, block_idx, kernel, thread_idx

x = array(base=0, data=[5, 6, 7, 8, 9, 10, 11, 12])
out = array(base=32, size=8)


@kernel(threads=8)
def alias_of_an_index():
    t = thread_idx  # written once: %threadIdx itself
    n = block_dim
    j = block_idx  # written twice: a register of its own
    j = j * n + t
    out[j] = x[j] + t
