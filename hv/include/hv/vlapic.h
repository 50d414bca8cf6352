/* SPDX-License-Identifier: MIT */
/*
 * The virtual local APIC of a vCPU of a VM (SDM vol. 3 chapter 10): one
 * register file, reached two ways.
 *
 *   - x2APIC mode (§10.12): RDMSR/WRMSR of 0x800-0x8FF, intercepted
 *     through the MSRPM.
 *   - xAPIC mode: loads and stores to the page at 0xFEE00000, in a VM with
 *     nested paging (hv/vm.h). The second-level tables leave the page not
 *     present, every access exits with a second-level fault, and the core
 *     decodes the instruction (hv/src/core/mmio.c) and performs it on the
 *     page (hv_vlapic_mmio). The xAPIC offset of a register is its MSR
 *     index << 4.
 *
 * IA32_APIC_BASE (0x1B) is intercepted as well, and IA32_TSC_DEADLINE
 * (0x6E0) when the vCPU's backend has a guest timer (hv/ops.h set_timer).
 *
 *   - Without nested paging a guest access to 0xFEE00000 would reach the
 *     processor's own APIC, so the virtual APIC comes out of reset already
 *     in x2APIC mode (EN and EXTD set), as firmware that enabled it would
 *     leave it, and a write to IA32_APIC_BASE may change only the base
 *     address: anything else is #GP(0).
 *   - With nested paging it comes out of reset as firmware leaves it: in
 *     xAPIC mode (EN set, EXTD clear), base 0xFEE00000, BSP set on vCPU 0.
 *     Writes follow §10.12.5 (figure 10-27): xAPIC -> x2APIC, either mode
 *     -> disabled (the registers go back to their power-up state,
 *     §10.4.3, §10.4.7.1), disabled -> xAPIC. x2APIC -> xAPIC, disabled ->
 *     x2APIC, EXTD without EN and reserved bits (7:0, 9) are #GP(0). Only
 *     the default base is supported: a write that moves it is #GP(0),
 *     because what makes the page answer is the hole in the nested tables,
 *     which stays at 0xFEE00000. Entering x2APIC mode sets the ID back to
 *     the vCPU index and clears the ICR's high half (§10.12.5.1).
 *
 * Registers: ID (the vCPU index; in xAPIC mode bits 31:24, writable as on
 * AMD processors, APM vol. 2 §16.3.3), version, TPR, PPR, EOI, LDR (xAPIC:
 * written by software; x2APIC: read-only, derived from the ID,
 * §10.12.10.2), DFR (xAPIC only), SVR, ISR/TMR/IRR, ESR (write, then read,
 * §10.5.3), the LVTs (stored; the timer's only in TSC-deadline mode, below),
 * ICR (xAPIC: low
 * half at 300h, destination in bits 31:24 at 310h, the IPI sent by the
 * low write; x2APIC: 64 bits at 830h), SELF_IPI (x2APIC only), APR and RRD
 * (xAPIC only, read 0).
 *
 * The timer: TSC-deadline mode (§10.5.4.1) where tsc_deadline_timer is set
 * (the core sets it when the backend can make the guest exit at a TSC
 * value, and then advertises CPUID.01H:ECX[24]); without it
 * IA32_TSC_DEADLINE is #GP(0), as on a processor without the feature. The
 * APIC keeps the deadline; its core fires it (hv_vlapic_timer_expire)
 * against the guest's TSC before every entry, while the vCPU halts, and on
 * the backend's timer exit.
 *
 * What other accesses get:
 *
 *   - As MSRs: #GP(0) for anything else in the range, a write to a
 *     read-only or a read of a write-only register, a reserved bit where
 *     the SDM says #GP, and any x2APIC MSR outside x2APIC mode
 *     (§10.12.1.2).
 *   - On the page in xAPIC mode: reserved bits are ignored; a write to a
 *     read-only register is dropped and a read of a write-only one gives
 *     0; an offset with no register reads 0, drops writes and sets ESR bit
 *     7, illegal register address (§10.5.3).
 *   - On the page in x2APIC mode or with the APIC disabled: it does not
 *     respond (§10.12.2, §10.4.3), loads read all ones, stores are dropped.
 *   - The vCPU's loop ends with HV_EXIT_INTERNAL_ERROR, suberror
 *     HV_INTERNAL_EMULATION, instead of an answer the architecture does
 *     not give, for: an instruction other than the MOV forms of
 *     hv/src/core/insn.h; a fetch from the page, a guest page table in
 *     it, or an access made while delivering an event; an access to a register
 *     that is not a 32-bit load or store at a 16-byte boundary (undefined,
 *     §10.4.1); and the timer registers (TMICT, TMCCT, TDCR), which the
 *     architecture has and this APIC does not.
 *
 * The IRR is written by other processors (IPIs); everything else only by
 * the processor that runs the vCPU.
 *
 * The virtual APIC is a leaf: it knows its registers and nothing of vCPUs,
 * VMs or backends. What it sends goes out on a bus (struct hv_vlapic_bus),
 * which the MP code provides for the vCPUs of a VM (hv/src/core/mp.c):
 * the bus names the APICs on it and hands an interrupt, NMI, INIT or SIPI
 * to one of them. The run loop moves its fixed interrupts to and from the
 * backend's virtual-interrupt request (hv_vlapic_prepare_entry,
 * hv_vlapic_sync_after_exit).
 *
 * Who may include it: hv/, conformance/.
 */
#ifndef HV_VLAPIC_H
#define HV_VLAPIC_H

#include <stdbool.h>
#include <stdint.h>

struct hv_vlapic;

/*
 * What a virtual APIC sends on: the other APICs of its VM. ctx is the
 * bus's own (hv_vlapic.bus_ctx).
 */
struct hv_vlapic_bus {
	/* APIC n on the bus (0, 1, ...; the sender among them), NULL past the last. */
	struct hv_vlapic *(*apic)(void *ctx, uint32_t n);
	/*
	 * Hands APIC n an interrupt of ICR delivery mode dm (APIC_DM_*) and
	 * vector: fixed and lowest-priority ones to its IRR, NMI, INIT and
	 * start-up to its processor.
	 */
	void (*deliver)(void *ctx, uint32_t n, uint32_t dm, uint8_t vector);
};

struct hv_vlapic {
	uint64_t apic_base;  /* IA32_APIC_BASE */
	uint32_t id;
	uint32_t tpr;
	uint32_t svr;
	uint32_t esr;        /* what a read returns: latched by the last write */
	uint32_t esr_pending;/* errors since that write */
	uint32_t ldr, dfr;   /* xAPIC mode */
	uint32_t lvt[7];     /* 0x82F, 0x832-0x837 */
	uint64_t tsc_deadline; /* IA32_TSC_DEADLINE: 0 = disarmed */
	uint64_t icr;        /* xAPIC: ICR high (310h) in 63:32 */
	uint32_t isr[8];
	uint32_t irr[8];     /* atomically OR-ed by senders */
	/* The vector requested for the next entry (hv_vlapic_prepare_entry), or -1. */
	int32_t virq_vector;
	/* What it is attached to (hv_vlapic_init). */
	uint32_t index;      /* its vCPU's: the ID after reset; 0 is the BSP */
	bool xapic_page;     /* the xAPIC page reaches it (a VM with nested paging) */
	bool tsc_deadline_timer; /* it has the TSC-deadline timer (above) */
	const struct hv_vlapic_bus *bus; /* NULL: an APIC alone, whose IPIs go nowhere */
	void *bus_ctx;
};

/*
 * Attaches the APIC of vCPU index (with or without the xAPIC page, on bus
 * or on none) and resets it as power-on does.
 */
void hv_vlapic_init(struct hv_vlapic *a, uint32_t index, bool xapic_page,
		    const struct hv_vlapic_bus *bus, void *bus_ctx);

/*
 * Resets the registers as INIT does (SDM §10.4.7.3): all but ID and
 * APIC_BASE; power_on also sets those (the reset mode depends on whether
 * the xAPIC page reaches the APIC, see above).
 */
void hv_vlapic_reset(struct hv_vlapic *a, bool power_on);

/*
 * RDMSR/WRMSR of IA32_APIC_BASE or an x2APIC register. Returns true when
 * the access is architecturally fine, false when the guest must get #GP(0).
 */
bool hv_vlapic_rdmsr(struct hv_vlapic *a, uint32_t msr, uint64_t *value);
bool hv_vlapic_wrmsr(struct hv_vlapic *a, uint32_t msr, uint64_t value);
/* Is msr one the virtual APIC owns (and the backend intercepts)? */
bool hv_vlapic_owns_msr(uint32_t msr);

/*
 * A load (write false) or a store of size bytes at offset in the xAPIC
 * page, decoded by the core. False when the access is one the core must
 * not answer (HV_INTERNAL_EMULATION, see above); else done, a load's value
 * in *value (all ones when nothing answers).
 */
bool hv_vlapic_mmio(struct hv_vlapic *a, uint32_t offset, unsigned size, bool write,
		    uint64_t *value);

/* The LVT timer's index in hv_vlapic.lvt (register 832h, offset 320h). */
#define HV_VLAPIC_LVT_TIMER 1

/*
 * The armed TSC deadline, 0 when the timer is not armed or not in
 * TSC-deadline mode.
 */
uint64_t hv_vlapic_timer_deadline(const struct hv_vlapic *a);
/*
 * Fires the timer if its deadline is at or before now (the guest's TSC):
 * disarms it and, unless the LVT masks it, sets its vector in the IRR.
 * True when it fired.
 */
bool hv_vlapic_timer_expire(struct hv_vlapic *a, uint64_t now);

/* Marks vector pending in the IRR (any processor may call it). */
void hv_vlapic_set_irr(struct hv_vlapic *a, uint8_t vector);
/* The highest IRR vector that may be delivered now (TPR/ISR, §10.8.3.1), or -1. */
int hv_vlapic_deliverable(struct hv_vlapic *a);
/*
 * Before an entry: the best deliverable vector, for the backend's
 * virtual-interrupt request (-1: none), remembered until the exit.
 */
int hv_vlapic_prepare_entry(struct hv_vlapic *a);
/*
 * After the exit: still_requested is whether the backend's request is
 * still pending; if not, the guest took the vector, which moves from IRR
 * to ISR.
 */
void hv_vlapic_sync_after_exit(struct hv_vlapic *a, bool still_requested);

#endif
