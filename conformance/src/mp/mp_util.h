/* SPDX-License-Identifier: MIT */
/*
 * What the multiprocessor scenarios share: a VM (hv/vm.h) over the mp_guest
 * payload, the real-mode trampoline placed below 1 MiB, the record of every
 * vCPU's MP-state changes, and the host side of the guest's MARK_SYNC and
 * MARK_DONE stops.
 *
 * The bootstrap vCPU's guest may also ask for the APIC IDs of the
 * processors the vCPUs run on (VMMCALL MARK_APIC_IDS, RBX = a table of
 * one 32-bit ID per vCPU), as firmware tells an operating system.
 *
 * Only the bootstrap processor calls conf_check_*: the other processors'
 * exit handlers write what they saw into struct conf_mp, and the scenario
 * checks it after hv_vm_run returns.
 */
#ifndef CONF_SRC_MP_UTIL_H
#define CONF_SRC_MP_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "../svm/svm_util.h"
#include "hv/vm.h"

/*
 * The trampoline's page. Both platforms leave 0-1 MiB to the scenarios
 * (the model allocates from 1 MiB up; the image runs at 1 MiB and uses
 * only 0x8000 for its own processors' start-up), and without nested
 * paging a guest-physical address is the system-physical one.
 */
#define CONF_MP_TRAMP_PA 0x70000u
#define CONF_MP_SIPI_VECTOR (CONF_MP_TRAMP_PA >> 12)
/*
 * A VM with nested paging owns its memory (hv/ram.h): RAM of this size for
 * the guest, then the trampoline's page as a second slot.
 */
#define CONF_MP_RAM_SIZE (1u << 20)

#define CONF_MP_MAX_STATES 12u
#define CONF_MP_SYNCS 4u

struct conf_mp {
	struct conf_ctx *ctx;
	struct conf_payload payload;
	struct hv_guest guest;
	struct hv_ram ram;     /* with nested paging: what the VM owns */
	struct hv_vm vm;
	/* Each vCPU's MP states: the initial one, then every change, in order. */
	uint32_t states[HV_VM_MAX_VCPUS][CONF_MP_MAX_STATES];
	uint32_t nstates[HV_VM_MAX_VCPUS];
	/* The MP state of the vCPU named at each MARK_SYNC, once it settled. */
	uint32_t sync_state[CONF_MP_SYNCS];
	uint32_t nsyncs;
	/* How the run ended. */
	bool done;             /* vCPU 0 reached MARK_DONE */
	uint32_t bad_claimed;  /* 1 once some vCPU had an unexpected exit */
	uint32_t bad_vcpu;     /* the vCPU of the first one */
	struct hv_exit bad;    /* and the exit */
	uint32_t done_wait;    /* MP state every AP must reach before the VM stops */
};

/* SKIP reason when the platform has fewer than n processors. */
const char *conf_mp_need_cpus(uint32_t n);
const char *conf_mp_need2(void);
const char *conf_mp_need4(void);

/*
 * The guest a VM runs: its payload, the long-mode label where application
 * processors the trampoline started continue, the payload's 32-bit datum
 * that holds the SIPI vector, and whether the VM uses nested paging.
 */
struct conf_mp_guest {
	struct conf_payload payload;
	const uint8_t *ap64, *sipi_vector;
	bool use_npt;
	bool apic_passthrough; /* the guest owns the APICs (hv/vm.h) */
};

/*
 * Builds the guest g, the VM of nr_vcpus with vCPU 0 starting at the
 * payload label `entry`, and the trampoline page; with nested paging, the
 * guest in RAM of the VM's own (m->ram), which the trampoline's page joins.
 * False (ERROR recorded) on failure.
 */
bool conf_mp_setup_guest(struct conf_ctx *ctx, struct conf_mp *m, uint32_t nr_vcpus,
			 const struct conf_mp_guest *g, const uint8_t *entry);
/* conf_mp_setup_guest with the mp_guest payload, without nested paging. */
bool conf_mp_setup(struct conf_ctx *ctx, struct conf_mp *m, uint32_t nr_vcpus,
		   const uint8_t *entry);

/*
 * Makes vCPU id of vm runnable at guest address rip, on a stack page taken
 * from ram (the VM's own: nothing else is mapped for it under nested
 * paging). False (ERROR or FAIL recorded) on failure.
 */
bool conf_mp_start_vcpu(struct conf_ctx *ctx, struct hv_vm *vm, struct hv_ram *ram, uint32_t id,
			uint64_t rip);

/* Host pointer to an mp_guest label's 32-bit datum. */
uint32_t *conf_mp_u32(struct conf_mp *m, const uint8_t *label);

/* Runs the VM; false (ERROR or FAIL recorded) unless vCPU 0 reached MARK_DONE. */
bool conf_mp_run(struct conf_mp *m);

/* Checks that vCPU id went through exactly the states in want[0..n). */
void conf_mp_check_states(struct conf_mp *m, uint32_t id, const uint32_t *want, uint32_t n);

CONF_PAYLOAD_DECLARE(mp_guest);
CONF_PAYLOAD_DECLARE(mp_tramp);
CONF_PAYLOAD_LABEL(mp_tramp, params);
CONF_PAYLOAD_LABEL(mp_guest, boot3);
CONF_PAYLOAD_LABEL(mp_guest, sipi_only);
CONF_PAYLOAD_LABEL(mp_guest, second_sipi);
CONF_PAYLOAD_LABEL(mp_guest, deassert);
CONF_PAYLOAD_LABEL(mp_guest, init_running);
CONF_PAYLOAD_LABEL(mp_guest, wake);
CONF_PAYLOAD_LABEL(mp_guest, sleeper);
CONF_PAYLOAD_LABEL(mp_guest, kick);
CONF_PAYLOAD_LABEL(mp_guest, spinner);
CONF_PAYLOAD_LABEL(mp_guest, irq_handler);
CONF_PAYLOAD_LABEL(mp_guest, ap64);
CONF_PAYLOAD_LABEL(mp_guest, sipi_vector);
CONF_PAYLOAD_LABEL(mp_guest, park_spin);
CONF_PAYLOAD_LABEL(mp_guest, ready);
CONF_PAYLOAD_LABEL(mp_guest, woke);
CONF_PAYLOAD_LABEL(mp_guest, irq_count);
CONF_PAYLOAD_LABEL(mp_guest, slots);
CONF_PAYLOAD_LABEL(mp_guest, boots);

#endif
