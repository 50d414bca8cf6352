/* SPDX-License-Identifier: MIT */
/*
 * What the local APIC scenarios share (SDM vol. 3 chapter 11): reading the
 * 256-bit IRR/ISR/TMR sets, saving and restoring the registers a scenario
 * touches, bounded waits, and taking pending fixed interrupts.
 *
 * Host mode runs with RFLAGS.IF clear on both platforms (unless a scenario
 * sets it: svm/host_irq.c), so an accepted
 * fixed interrupt stays in the IRR. The only way to retire it is to let a
 * processor take it: conf_apic_take_one and conf_apic_drain run the
 * irq_guest payload (guest/irq.S) with IF = 1 and V_INTR_MASKING clear, so the guest's IDT
 * takes the interrupt and its handler EOIs it. That is why every scenario
 * that leaves an interrupt pending needs SVM; the others need it only if
 * the behaviour under test was broken and something was left behind.
 *
 * Only conf_apic_report and conf_apic_end record anything: the other
 * helpers return NULL or what went wrong, so that a processor started with
 * arch_cpu_start can use them and report through shared memory.
 */
#ifndef CONF_SRC_APIC_UTIL_H
#define CONF_SRC_APIC_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "../svm/irq_util.h"
#include "x86/apic.h"

/* Interrupt vectors the scenarios use: >= 20h, apart, in distinct classes. */
#define APIC_T_VEC_A 0x42u
#define APIC_T_VEC_B 0x81u
#define APIC_T_VEC_TIMER 0x63u
#define APIC_T_VEC_IPI 0x52u

/* The registers a scenario may change, as it found them. */
struct conf_apic_saved {
	uint32_t svr, tpr, ldr, dfr, lvt_timer, lvt_error, tdcr;
};

void conf_apic_save(struct conf_apic_saved *s);
/*
 * Stops the timer, retires whatever is pending or in service (conf_apic_drain),
 * and writes the saved registers back. NULL, or what went wrong.
 */
const char *conf_apic_restore(const struct conf_apic_saved *s);
/*
 * What went wrong leaving the APIC clean starts with APIC_FAULT when the APIC
 * misbehaved (EOI, IRR), and is a platform problem (no SVM, no memory)
 * otherwise.
 */
#define APIC_FAULT "APIC: "
bool conf_apic_fault(const char *why);
/* Records why (if any): a FAIL for an APIC fault, unless one is already recorded; else ERROR. */
void conf_apic_report(struct conf_ctx *ctx, const char *who, const char *why);
/* conf_apic_restore on processor 0, reported with conf_apic_report. */
void conf_apic_end(struct conf_ctx *ctx, const struct conf_apic_saved *s);

/* Software-enables the APIC with spurious vector FFh (SDM §11.9). */
void conf_apic_sw_enable(void);

/* Bit `vector` of the 256-bit set at base (APIC_IRR, APIC_ISR, APIC_TMR). */
bool conf_apic_bit(uint32_t base, uint32_t vector);
/* The highest vector set in the set at base, or -1 when it is empty. */
int conf_apic_highest(uint32_t base);

/* The calling processor's APIC ID (ID register bits 31:24 in xAPIC mode). */
uint32_t conf_apic_self_id(void);
bool conf_apic_x2apic_mode(void);

/* A fixed, edge-triggered self-IPI through the "self" shorthand. */
void conf_apic_self_ipi(uint32_t mode, uint32_t vector);

/*
 * Spins (with PAUSE) until bit `vector` of IRR is set; false after about a
 * second of TSC ticks on a fast host (long enough for QEMU TCG).
 */
bool conf_apic_wait_irr(uint32_t vector);
/* Spins until TMCCT reads 0; false when it does not within the bound. */
bool conf_apic_wait_tmcct_zero(void);
/* Spins until *flag becomes non-zero (acquire); false on the bound. */
bool conf_apic_wait_flag(const uint32_t *flag);
/* Waits until processor idx has returned from its function; false on the bound. */
bool conf_apic_join(uint32_t idx);
/* Spins for `ticks` TSC ticks. */
void conf_apic_delay(uint64_t ticks);

/* A guest that takes pending interrupts (irq_guest, every gate on its handler). */
struct conf_apic_guest {
	struct conf_payload payload;
	struct hv_guest guest;
	struct hv_vcpu vcpu;
};

const char *conf_apic_guest_init(struct conf_apic_guest *g);
/*
 * Runs the guest once: if an interrupt is pending it takes it, *vector is
 * the vector in service in its handler and its EOI follows; otherwise
 * *vector is -1. NULL, or what went wrong.
 */
const char *conf_apic_take_one(struct conf_apic_guest *g, int *vector);
/* conf_apic_take_one in two halves: up to the handler (vector in service), then its EOI. */
const char *conf_apic_take_begin(struct conf_apic_guest *g, int *vector);
const char *conf_apic_take_finish(struct conf_apic_guest *g);
/* Takes every pending interrupt, then EOIs anything still in service. */
const char *conf_apic_drain(void);

/* SKIP reasons (NULL when supported). */
const char *conf_apic_need2(void);
const char *conf_apic_need2_svm(void);
const char *conf_apic_need2_svm_xapic(void);
const char *conf_apic_tsc_deadline_unsupported(void);
const char *conf_apic_tsc_deadline_svm_unsupported(void);

#endif
