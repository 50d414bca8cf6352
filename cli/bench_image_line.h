/* SPDX-License-Identifier: MIT */
/*
 * The hardware image's benchmark line (docs/hardware.md "The benchmark"):
 *
 *   bench roundtrips N tsc T [tsc_hz H ns S per_second R]       (bench=N)
 *   bench vmx_roundtrips N tsc T [tsc_hz H ns S per_second R]   (benchvmx=N)
 *
 * read back out of the serial output of a boot.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_BENCH_IMAGE_LINE_H
#define VX_CLI_BENCH_IMAGE_LINE_H

#include <stdbool.h>
#include <stdint.h>

struct vx_bench_image_line {
	uint64_t trips;      /* N */
	uint64_t tsc;        /* T: the image's TSC ticks over the N round trips */
	uint64_t per_second; /* R, or 0 when the image could not rate its TSC */
};

/*
 * Finds the line for loop ("roundtrips" or "vmx_roundtrips") at the start of
 * a line of out; true and *l filled when there is one whose words are
 * well formed, false otherwise.
 */
bool vx_bench_image_line_parse(const char *out, const char *loop, struct vx_bench_image_line *l);

#endif
