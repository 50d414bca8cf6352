/* SPDX-License-Identifier: MIT */
/* The bench loops (see bench_loop.h). */
#include "bench_loop.h"

#define DEC_RCX 0x48, 0xff, 0xc9
#define JNZ(back) 0x75, (uint8_t)(-(back))
#define X8(i) i, i, i, i, i, i, i, i
#define LOAD 0x48, 0x8b, 0x03
#define STORE 0x48, 0x89, 0x03

static const uint8_t count_code[] = { 0x48, 0x83, 0xc0, 0x01, DEC_RCX, JNZ(9) };
static const uint8_t load_code[] = { X8(LOAD), DEC_RCX, JNZ(29) };
static const uint8_t store_code[] = { X8(STORE), DEC_RCX, JNZ(29) };

_Static_assert(sizeof(count_code) == 9, "jnz must reach back to the loop's start");
_Static_assert(sizeof(load_code) == 29 && sizeof(store_code) == 29,
	       "jnz must reach back to the loop's start");

const struct vx_bench_loop vx_bench_loop_count = {
	.what = "the counting loop",
	.code = count_code,
	.len = sizeof(count_code),
	.insns_per_iteration = 3,
};
const struct vx_bench_loop vx_bench_loop_load = {
	.what = "the load loop",
	.code = load_code,
	.len = sizeof(load_code),
	.insns_per_iteration = 10,
	.uses_rbx = true,
};
const struct vx_bench_loop vx_bench_loop_store = {
	.what = "the store loop",
	.code = store_code,
	.len = sizeof(store_code),
	.insns_per_iteration = 10,
	.uses_rbx = true,
};
