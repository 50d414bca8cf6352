/* SPDX-License-Identifier: MIT */
/*
 * The event stream on hardware: with `trace` on the command line, one text
 * line per event on the serial port,
 *
 *   #ev <tsc> <cpu> <type> <a> <b> <c> <d>[ <text>]
 *
 * tsc, cpu and type in decimal, a..d in hexadecimal with 0x (docs/hardware.md).
 * The leading '#' makes the lines KTAP diagnostics, so a traced run still
 * parses as a report. Without `trace`, events cost one test and a return.
 */
#include "hv/arch.h"
#include "hv/event.h"
#include "hw.h"

bool hw_trace;

void arch_event(const struct hv_event *ev)
{
	if (!hw_trace)
		return;
	hw_printf("#ev %llu %u %u %#llx %#llx %#llx %#llx%s%s\n",
		  (unsigned long long)arch_rdtsc(), (unsigned)arch_cpu_index(), (unsigned)ev->type,
		  (unsigned long long)ev->a, (unsigned long long)ev->b,
		  (unsigned long long)ev->c, (unsigned long long)ev->d,
		  ev->text ? " " : "", ev->text ? ev->text : "");
}
