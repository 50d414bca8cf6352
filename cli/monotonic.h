/* SPDX-License-Identifier: MIT */
/*
 * Wall-clock seconds from CLOCK_MONOTONIC. Only benchmarks and child-process
 * deadlines read it: nothing the model computes may depend on it.
 *
 * Who may include it: cli/.
 */
#ifndef VX_CLI_MONOTONIC_H
#define VX_CLI_MONOTONIC_H

double vx_monotonic(void);

#endif
