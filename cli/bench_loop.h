/* SPDX-License-Identifier: MIT */
/*
 * The guest loop both MIPS measurements run, byte for byte, so the model and
 * bare Unicorn are measured on the same instructions.
 *
 *   loop: add rax, 1     48 83 c0 01
 *         dec rcx        48 ff c9
 *         jnz loop       75 f7
 *   end:
 *
 * RCX holds the iteration count on entry; RAX counts the iterations, so a
 * run can be checked to have done them all.
 *
 * Who may include it: cli/.
 */
#ifndef VX_CLI_BENCH_LOOP_H
#define VX_CLI_BENCH_LOOP_H

#include <stdint.h>

static const uint8_t vx_bench_loop[] = {
	0x48, 0x83, 0xc0, 0x01,
	0x48, 0xff, 0xc9,
	0x75, 0xf7,
};

#define VX_BENCH_LOOP_END 9u /* offset of the instruction after the loop */
#define VX_BENCH_LOOP_INSNS_PER_ITERATION 3u

#endif
