/* SPDX-License-Identifier: MIT */
/*
 * A model machine for one benchmark: built, used for one emu_machine_run,
 * destroyed. The function runs on processor 0 in host mode, as a
 * hypervisor would.
 *
 * Who may include it: cli/.
 */
#ifndef VX_CLI_BENCH_MACHINE_H
#define VX_CLI_BENCH_MACHINE_H

#include <stddef.h>

struct emu_config;
struct emu_stats;

/* 0, or -1 with the model's message in why. stats (may be NULL) gets the
 * machine's counters at the end of the run. */
int vx_bench_on_machine(const struct emu_config *cfg, void (*fn)(void *arg), void *arg,
			struct emu_stats *stats, char *why, size_t whylen);

/* vx_bench_on_machine on the default machine with no cycle limit. */
int vx_bench_on_model(void (*fn)(void *arg), void *arg, struct emu_stats *stats, char *why,
		      size_t whylen);
/* The same on an Intel one (VMX). */
int vx_bench_on_intel_model(void (*fn)(void *arg), void *arg, char *why, size_t whylen);

#endif
