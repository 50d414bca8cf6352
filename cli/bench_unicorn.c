/* SPDX-License-Identifier: MIT */
/*
 * The peers for guest MIPS: the bench loop on a bare Unicorn engine with no
 * hooks at all, the fastest this library runs it; and the same engine with
 * one empty UC_HOOK_BLOCK callback, the floor under any per-block cycle
 * accounting on Unicorn (the model's accounting is such a hook). Both run
 * the counting loop, which adds 1 to RAX each iteration.
 */
#include <stdbool.h>
#include <stdio.h>

#include <unicorn/unicorn.h>

#include "bench.h"
#include "bench_loop.h"

#define CODE_ADDR 0x10000u

/* Runs iterations of the loop; returns seconds, or < 0 with out->why set. */
static double run_once(uc_engine *uc, uint64_t iterations, struct vx_bench_rate *out)
{
	uint64_t rcx = iterations, rax = 0;
	double t0;
	uc_err e;

	uc_reg_write(uc, UC_X86_REG_RCX, &rcx);
	uc_reg_write(uc, UC_X86_REG_RAX, &rax);
	t0 = vx_cpu_seconds();
	e = uc_emu_start(uc, CODE_ADDR, CODE_ADDR + vx_bench_loop_count.len, 0, 0);
	if (e != UC_ERR_OK) {
		snprintf(out->why, sizeof(out->why), "unicorn: %s", uc_strerror(e));
		return -1.0;
	}
	uc_reg_read(uc, UC_X86_REG_RAX, &rax);
	if (rax != iterations) {
		snprintf(out->why, sizeof(out->why), "unicorn ran the loop %llu times, not %llu",
			 (unsigned long long)rax, (unsigned long long)iterations);
		return -1.0;
	}
	return vx_cpu_seconds() - t0;
}

static void empty_block_hook(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	(void)uc, (void)addr, (void)size, (void)user;
}

void vx_bench_unicorn_mips(double seconds, bool block_hook, struct vx_bench_rate *out)
{
	uc_engine *uc;
	uc_hook hook;
	uint64_t n = 1u << 20;
	double t;
	uc_err e;

	out->ok = false;
	e = uc_open(UC_ARCH_X86, UC_MODE_64, &uc);
	if (e != UC_ERR_OK) {
		snprintf(out->why, sizeof(out->why), "unicorn: %s", uc_strerror(e));
		return;
	}
	if (uc_mem_map(uc, CODE_ADDR, 0x1000, UC_PROT_ALL) != UC_ERR_OK ||
	    uc_mem_write(uc, CODE_ADDR, vx_bench_loop_count.code, vx_bench_loop_count.len) !=
		    UC_ERR_OK ||
	    (block_hook && uc_hook_add(uc, &hook, UC_HOOK_BLOCK, (void *)empty_block_hook, NULL, 1,
				       0) != UC_ERR_OK)) {
		snprintf(out->why, sizeof(out->why), "unicorn: cannot map the loop");
		uc_close(uc);
		return;
	}
	/* A short run translates the loop and tells how long to run for. */
	t = run_once(uc, n, out);
	while (t >= 0 && t < seconds / 4 && n < (UINT64_C(1) << 40)) {
		n *= 2;
		t = run_once(uc, n, out);
	}
	if (t >= 0 && t < seconds) {
		n = (uint64_t)((double)n * seconds / (t > 1e-6 ? t : 1e-6));
		t = run_once(uc, n, out);
	}
	uc_close(uc);
	if (t < 0)
		return;
	out->ok = true;
	out->count = n * vx_bench_loop_count.insns_per_iteration;
	out->seconds = t;
}
