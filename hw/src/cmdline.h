/* SPDX-License-Identifier: MIT */
/*
 * The image's command line (docs/hardware.md): space-separated words,
 *
 *   filter=GLOB  group=NAME  format=ktap|tap13|table|junit  bench=N  benchvmx=N
 *   trace  cpus=N  selftest=smp  skip=GLOB (up to HW_SKIP_MAX of them)
 *
 * Loaders put the image's own name first (QEMU -kernel, GRUB and iPXE all
 * do); a first word that is not an option is taken to be that name.
 * Pure C with no platform dependency, so it is unit-tested hosted.
 *
 * Who may include it: hw/.
 */
#ifndef HW_CMDLINE_H
#define HW_CMDLINE_H

#include <stdbool.h>
#include <stdint.h>

#include "conf/conf.h"
#include "hw_asm.h"

enum hw_selftest {
	HW_SELFTEST_NONE = 0,
	HW_SELFTEST_SMP, /* start every application processor once, report KTAP */
};

#define HW_SKIP_MAX 8

struct hw_options {
	const char *filter; /* NULL: every scenario */
	const char *group;  /* NULL: every group */
	enum conf_format format;
	bool trace;
	uint32_t bench;     /* SVM round trips to measure; 0: run the suite */
	uint32_t bench_vmx; /* VMX round trips instead (never both) */
	uint32_t cpus;      /* processors to bring up, 1..HW_MAX_CPUS; 0: ask CPUID */
	enum hw_selftest selftest;
	/* Scenarios reported as SKIP without running: those that stop the
	 * platform itself (an emulator's panic), so the rest still run. */
	const char *skip[HW_SKIP_MAX];
	uint32_t nskip;
};

#define HW_BENCH_MAX 1000000000u

/*
 * Splits line in place (words become NUL-terminated) and fills *o, whose
 * strings then point into line. Returns NULL, or why the word *bad is not
 * accepted.
 */
const char *hw_cmdline_parse(char *line, struct hw_options *o, const char **bad);

#endif
