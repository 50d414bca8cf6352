/* SPDX-License-Identifier: MIT */
/*
 * The event stream on hardware: with `trace` on the command line, one text
 * line per event on the serial port,
 *
 *   #ev <tsc> <cpu> <type> <source> <v0> <v1> ... <v7>[ <text>]
 *
 * tsc, cpu, type and source in decimal, v0..v7 in hexadecimal with 0x
 * (docs/hardware.md); the host turns them into trace records (traces/).
 * The leading '#' makes the lines KTAP diagnostics, so a traced run still
 * parses as a report. Without `trace`, events cost one test and a return.
 */
#include "vx/arch.h"
#include "vx/event.h"
#include "hw.h"

bool hw_trace;

void arch_event(const struct hv_event *ev)
{
	if (!hw_trace)
		return;
	hw_printf("#ev %llu %u %u %u %#llx %#llx %#llx %#llx %#llx %#llx %#llx %#llx%s%s\n",
		  (unsigned long long)arch_rdtsc(), (unsigned)arch_cpu_index(), (unsigned)ev->type,
		  (unsigned)ev->source, (unsigned long long)ev->v[0], (unsigned long long)ev->v[1],
		  (unsigned long long)ev->v[2], (unsigned long long)ev->v[3],
		  (unsigned long long)ev->v[4], (unsigned long long)ev->v[5],
		  (unsigned long long)ev->v[6], (unsigned long long)ev->v[7],
		  ev->text ? " " : "", ev->text ? ev->text : "");
}
