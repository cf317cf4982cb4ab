; zero_threads: a launch with thread count 0 must finish at once without running
; anything: data memory stays exactly as loaded (the program would overwrite it).

.threads 0
.data 1 2 3 4

    CONST R1, #0xEE
    STR R0, R1                     ; would overwrite address 0
    RET
