/* SPDX-License-Identifier: MIT */
/*
 * The model platform, as its users see it: build a machine of N model
 * processors, run a function on its bootstrap processor, listen to its
 * events. The hypervisor code that runs on the machine reaches the model
 * only through include/vx/arch.h, which this library implements.
 *
 * Who may include it: cli/, tests/, benchmarks. Not hv/ or conformance/.
 */
#ifndef EMU_EMU_H
#define EMU_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vx/event.h"

#define EMU_MAX_CPUS 16

struct emu_machine;
struct emu_costs;

/* Whose processor a model machine has: AMD's with SVM, Intel's with VMX. */
enum emu_vendor { EMU_VENDOR_AMD, EMU_VENDOR_INTEL };

struct emu_config {
	enum emu_vendor vendor;
	uint32_t ncpus;        /* 1..EMU_MAX_CPUS */
	uint64_t ram_size;     /* bytes of guest-physical memory, 4 KiB multiple */
	bool vnmi;             /* advertise and model vNMI (Fn8000_000A EDX[25]) */
	bool nrips;            /* advertise and model NRIP save (EDX[3]) */
	bool decode_assists;   /* advertise and model decode assists (EDX[7]) */
	bool npt;              /* advertise and model nested paging (EDX[0]) */
	/* Intel: the activity states advertised and modelled (IA32_VMX_MISC
	 * bits 6, 7, 8) */
	bool vmx_activity_hlt, vmx_activity_shutdown, vmx_activity_wait_sipi;
	uint64_t quantum;      /* cycles a processor runs before the scheduler looks */
	uint64_t max_cycles;   /* a run stops with an error past this (0 = no limit) */
	/* Host time a run may take (0 = no limit): a guard for work the cycles
	 * do not measure; it only ever ends a run with an error, never changes
	 * what the model computes. */
	uint32_t max_host_ms;
	const struct emu_costs *costs; /* NULL: the built-in table (docs/cycle-costs.md) */
	/* Where arch_console_write goes; NULL discards. */
	void (*console)(void *user, const char *s, size_t n);
	void *console_user;
};

void emu_config_default(struct emu_config *cfg);

/* NULL on failure, with a message in err. */
struct emu_machine *emu_machine_create(const struct emu_config *cfg, char *err, size_t errlen);
void emu_machine_destroy(struct emu_machine *m);

/*
 * Runs fn(arg) on processor 0 in host mode (the hypervisor's view) until it
 * returns and every processor it started has finished. Returns 0, or -1 when
 * the model had to stop the run (a fault in host mode, a deadlock, the cycle
 * limit); emu_machine_error() then says why.
 */
int emu_machine_run(struct emu_machine *m, void (*fn)(void *arg), void *arg);
const char *emu_machine_error(const struct emu_machine *m);

/* Listener for the one event stream; NULL removes it. */
typedef void (*emu_event_fn)(void *user, const struct hv_event *ev);
void emu_set_event_listener(struct emu_machine *m, emu_event_fn fn, void *user);

struct emu_stats {
	uint64_t cycles[EMU_MAX_CPUS];
	uint64_t guest_instructions; /* retired, all processors */
	uint64_t vmruns;
	uint64_t vmexits;
};
void emu_machine_stats(const struct emu_machine *m, struct emu_stats *out);

/* Cycle cost table (docs/cycle-costs.md). */
struct emu_costs *emu_costs_new(void);          /* the built-in defaults */
void emu_costs_free(struct emu_costs *c);
/* Overrides from a text file of "name cost" lines; -1 with a message on error. */
int emu_costs_load(struct emu_costs *c, const char *path, char *err, size_t errlen);
int emu_costs_parse(struct emu_costs *c, const char *text, char *err, size_t errlen);
/* The table (NULL: the built-in one) as text emu_costs_parse reads back: at
 * most size bytes with the NUL; returns the length the whole text needs. */
size_t emu_costs_format(const struct emu_costs *c, char *buf, size_t size);

/* CPUID as the machine's processors report it to host code. */
void emu_machine_cpuid(struct emu_machine *m, uint32_t leaf, uint32_t subleaf, uint32_t out[4]);

#endif
