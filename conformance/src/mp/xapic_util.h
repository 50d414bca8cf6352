/* SPDX-License-Identifier: MIT */
/*
 * What the xAPIC scenarios share: a VM with nested paging (hv/vm.h,
 * use_npt), whose vCPUs' virtual APICs answer at 0xFEE00000 in xAPIC mode,
 * over the xapic_guest payload, with the mp_tramp trampoline of the MP
 * scenarios for application processors. The run is recorded in a struct
 * conf_mp as mp_util.h describes, so conf_mp_run, conf_mp_check_states and
 * conf_mp_u32 apply; vCPU 0's VMMCALL MARK_SYNC and MARK_DONE mean the same.
 */
#ifndef CONF_SRC_XAPIC_UTIL_H
#define CONF_SRC_XAPIC_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "mp_util.h"

/* SKIP reasons: second-level translation (conf_slat_unsupported) and n processors. */
const char *conf_xapic_need2(void);
const char *conf_xapic_need4(void);

/*
 * Builds the guest, the VM of nr_vcpus (vCPU 0 starting at the xapic_guest
 * label `entry`) with nested paging, and the trampoline page, whose
 * application processors continue at xapic_guest's ap64. False (ERROR
 * recorded) on failure.
 */
bool conf_xapic_setup(struct conf_ctx *ctx, struct conf_mp *m, uint32_t nr_vcpus,
		      const uint8_t *entry);

/* Guest address of an xapic_guest label. */
uint64_t conf_xapic_addr(struct conf_mp *m, const uint8_t *label);
/* Makes vCPU id RUNNABLE in long mode at a label, on a stack of its own (VM RAM). */
bool conf_xapic_start(struct conf_mp *m, uint32_t id, const uint8_t *label);
/* The 32-bit result word i the guest wrote with OUT(i, ...). */
uint32_t conf_xapic_out(struct conf_mp *m, unsigned i);

CONF_PAYLOAD_DECLARE(xapic_guest);
CONF_PAYLOAD_LABEL(xapic_guest, boot3);
CONF_PAYLOAD_LABEL(xapic_guest, ap64);
CONF_PAYLOAD_LABEL(xapic_guest, regs_bsp);
CONF_PAYLOAD_LABEL(xapic_guest, regs_ap);
CONF_PAYLOAD_LABEL(xapic_guest, tpr);
CONF_PAYLOAD_LABEL(xapic_guest, irq_ppr);
CONF_PAYLOAD_LABEL(xapic_guest, wake);
CONF_PAYLOAD_LABEL(xapic_guest, sleeper);
CONF_PAYLOAD_LABEL(xapic_guest, irq_eoi);
CONF_PAYLOAD_LABEL(xapic_guest, to_x2apic);
CONF_PAYLOAD_LABEL(xapic_guest, base_steps);
CONF_PAYLOAD_LABEL(xapic_guest, disable);
CONF_PAYLOAD_LABEL(xapic_guest, add_tpr);
CONF_PAYLOAD_LABEL(xapic_guest, add_tpr_insn);
CONF_PAYLOAD_LABEL(xapic_guest, forms);
CONF_PAYLOAD_LABEL(xapic_guest, seg32);
CONF_PAYLOAD_LABEL(xapic_guest, reserved);
CONF_PAYLOAD_LABEL(xapic_guest, deaf_bsp);
CONF_PAYLOAD_LABEL(xapic_guest, deaf_ap);
CONF_PAYLOAD_LABEL(xapic_guest, gp_handler);
CONF_PAYLOAD_LABEL(xapic_guest, sipi_vector);
CONF_PAYLOAD_LABEL(xapic_guest, irq_count);
CONF_PAYLOAD_LABEL(xapic_guest, woke);
CONF_PAYLOAD_LABEL(xapic_guest, gp_count);
CONF_PAYLOAD_LABEL(xapic_guest, gp_error);
CONF_PAYLOAD_LABEL(xapic_guest, slots);
CONF_PAYLOAD_LABEL(xapic_guest, boots);
CONF_PAYLOAD_LABEL(xapic_guest, out);

#endif
