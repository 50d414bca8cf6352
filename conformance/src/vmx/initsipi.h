/* SPDX-License-Identifier: MIT */
/*
 * What the two-processor VMX scenarios share (initsipi*.c): processor 1
 * runs a hypervisor with one guest, processor 0 sends it INIT, start-up,
 * fixed and NMI IPIs with arch_apic_send_ipi (SDM vol. 3C §25.2, §26.7,
 * §27.7, §28.3.4; facts §(d) "Activity states", "INIT and SIPI around
 * VMX").
 *
 * Processor 1 records what it saw in struct vap and never calls a check:
 * only processor 0 evaluates them (as in mp/init_host.c). Each scenario
 * ends with vap_end, which gives processor 1 back to the platform: an INIT
 * that a scenario expects to take it (or that stays latched until VMXOFF)
 * leaves it waiting for SIPI, and arch_cpu_start takes it back.
 */
#ifndef CONF_SRC_VMX_INITSIPI_H
#define CONF_SRC_VMX_INITSIPI_H

#include "../apic/apic_util.h"
#include "vmx_guest.h"

#define VAP_CPU 1u
/* The fixed IPI the interrupt scenarios send. */
#define VAP_VEC APIC_T_VEC_IPI
/* Page below 1 MiB that both platforms leave to scenarios; its number is the SIPI vector. */
#define VAP_SIPI_PAGE 0x75000u
#define VAP_SIPI_VECTOR (VAP_SIPI_PAGE >> 12)
#define VAP_ICR_INIT (APIC_DM_INIT | APIC_INT_ASSERT)
/*
 * After an IPI: time for processor 1 to act on it, and before looking for
 * what it must not have done (as mp/init_host.c).
 */
#define VAP_STEP_TICKS 1000000ull
#define VAP_SETTLE_TICKS 10000000ull
/* Rounds of the vmx_guest `spin` loop: far beyond any wait of processor 0's. */
#define VAP_SPIN_ROUNDS 0x10000000ull

struct vap {
	/* What processor 0 asks for (vap_guest). */
	const uint8_t *start;     /* the vmx_guest label the guest starts at */
	uint32_t activity;        /* GUEST_ACTIVITY_STATE at VMLAUNCH */
	bool irq_on;              /* guest RFLAGS.IF */
	uint32_t pin, exit_ctls;  /* controls set besides those forced */
	bool resume;              /* after the first exit, resume once (see vap_guest) */

	/* Handshake (processor 1 sets all but go). */
	uint32_t ready;           /* the next step is the VM entry */
	uint32_t exited;          /* the first VM entry returned; results below */
	uint32_t parked;          /* vap_seed: resuming into wait-for-SIPI */
	uint32_t go;              /* processor 0: carry on */
	uint32_t held;            /* vap_root: still running after the INIT */
	uint32_t vmxoff_next;     /* about to execute VMXOFF */
	uint32_t after_vmxoff;    /* ran past VMXOFF */
	const char *err;          /* set-up failed */
	uint32_t apic_id;
	uint64_t *counter;        /* the guest's count, at (RBX) */
	uint32_t *flag;           /* 8(RBX): the spin loop's stop */

	/* The first VM exit. */
	conf_vmx_outcome_t out;
	struct conf_vmx_exit exit;
	uint64_t rax, activity_saved, intr_state, cs_sel, cr0;
	bool vmread_ok;
	bool at_handler;          /* stopped in the guest's handler of an event */
	uint8_t vector;           /* ... of this vector */
	struct hv_guest_frame frame;
	/* The second (vap_guest with resume, vap_seed). */
	conf_vmx_outcome_t out2;
	uint64_t qual2, rax2;
	/* The third (vap_seed). */
	conf_vmx_outcome_t out3;
	uint64_t rax3;
	bool unrestricted;        /* vap_seed started the AP code in real mode */

	struct conf_vmx s;
};

extern struct vap vap;

/* SKIP reasons: VMX and 2 processors; and IA32_VMX_MISC bit 6 or 8. */
const char *vap_need2_hlt(void);
const char *vap_need2_wait_sipi(void);

/*
 * Processor 1's hypervisor: the vmx_guest at v->start with the spin
 * loop's registers (RBX the count, RCX VAP_SPIN_ROUNDS), v's activity
 * state, RFLAGS.IF and controls; one VM entry, its exit recorded (an event
 * taken in the guest's handler, or acknowledged on exit, gets its EOI);
 * then it waits for `go` and with v->resume resumes once more, with the
 * interruptibility state it entered with and RCX = 1000; then VMXOFF.
 */
void vap_guest(void *arg);

/* Clears vap, sets what vap_guest needs, starts fn on processor 1 and waits for `ready`. */
bool vap_begin(struct conf_ctx *ctx, void (*fn)(void *), const struct vap *want);
/* Waits for the guest's count to move: it runs. */
bool vap_guest_runs(struct conf_ctx *ctx);
void vap_send(uint32_t icr);
/*
 * Waits for *flag with a bound short enough for Bochs (a few settle times);
 * false when it stays 0.
 */
bool vap_wait(const uint32_t *flag);
/* Sets `go`; true once processor 1 ran past its VMXOFF and returned. */
bool vap_go_and_join(struct conf_ctx *ctx);
/* Gives processor 1 back to the platform (see above). */
void vap_end(struct conf_ctx *ctx);

/* The outcome check of a VM entry processor 1 made. */
bool vap_check_exit(struct conf_ctx *ctx, const char *what, conf_vmx_outcome_t got,
		    uint32_t reason);

#endif
