/* SPDX-License-Identifier: MIT */
/*
 * arch.h — the processor, as a hypervisor sees it.
 *
 * This is the only way hv/ and the portable part of conformance/ reach the
 * processor. It is implemented twice: by emu/ (the model platform, hosted)
 * and by hw/ (the hardware image, freestanding). Exactly one implementation
 * is linked into a binary; the callers never know which.
 *
 * Each function stands for one instruction or one platform service and is
 * named after it. Instructions that can fault architecturally return an
 * arch_fault_t (ARCH_OK or ARCH_FAULT(vector)) instead of taking the fault,
 * so a scenario can check "VMRUN with an unaligned VMCB address — #GP".
 *
 * Who may include it: hv/, conformance/, emu/, hw/ (and the models, which
 * implement it with emu/).
 */
#ifndef VX_ARCH_H
#define VX_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t arch_fault_t;
#define ARCH_OK 0u
#define ARCH_FAULT_VALID (1u << 31)
#define ARCH_FAULT(vector) (ARCH_FAULT_VALID | (uint32_t)(vector))
#define ARCH_FAULT_VECTOR(f) ((f) & 0xffu)

/*
 * Guest general-purpose registers that the world switch does not load from
 * its control structure. The platform loads them before VMRUN, VMLAUNCH or
 * VMRESUME and stores them after the exit, as every hypervisor must. SVM
 * keeps RAX, RSP and RIP in the VMCB save area and leaves rax here alone;
 * VMX keeps RSP and RIP in the VMCS guest-state area, but not RAX.
 */
struct arch_gprs {
	uint64_t rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rax; /* VMX only */
};

struct arch_cpuid {
	uint32_t eax, ebx, ecx, edx;
};

/* --- Processors ----------------------------------------------------------- */

/* Index of the calling processor, 0 being the bootstrap processor. */
uint32_t arch_cpu_index(void);
/* Processors the platform can run scenarios on (at least 1). */
uint32_t arch_cpu_count(void);
/*
 * Start fn(arg) on processor idx (not the caller). fn runs in host mode with
 * SVM not yet enabled and GIF set. Returns 0, or -1 if idx does not exist
 * or is busy. A processor that an INIT sent with arch_apic_send_ipi took
 * away (reset, waiting for SIPI or running what a start-up IPI started) is
 * taken back first, with the platform's own INIT-SIPI-SIPI.
 */
int arch_cpu_start(uint32_t idx, void (*fn)(void *arg), void *arg);
/* True once the processor started by arch_cpu_start has returned from fn. */
bool arch_cpu_done(uint32_t idx);
/* PAUSE, inside a spin-wait loop: lets other processors make progress. */
void arch_cpu_pause(void);

/* --- Memory --------------------------------------------------------------- */

/*
 * Pages are handed out in order from ARCH_ALLOC_BASE, starting over for
 * each scenario, on every platform (the model; the hardware image's pool
 * for its first 16 MiB): the same scenario gets the same physical
 * addresses everywhere, so traces of it compare address for address.
 */
#define ARCH_ALLOC_BASE 0x100000u

/* A zeroed, 4 KiB-aligned page of physical memory; 0 when none is left. */
uint64_t arch_page_alloc(void);
/* npages physically contiguous zeroed pages, 4 KiB-aligned; 0 when none. */
uint64_t arch_pages_alloc(uint32_t npages);
/*
 * Host pointer for a physical address, such as one arch_page(s)_alloc
 * returned; NULL where the platform has no memory it maps. The core relies
 * on that before it reads memory at an address a guest chose.
 */
void *arch_phys_to_virt(uint64_t pa);
uint64_t arch_virt_to_phys(const void *va);

/* --- Instructions --------------------------------------------------------- */

void arch_cpuid(uint32_t leaf, uint32_t subleaf, struct arch_cpuid *out);
arch_fault_t arch_rdmsr(uint32_t msr, uint64_t *value);
arch_fault_t arch_wrmsr(uint32_t msr, uint64_t value);
uint64_t arch_rdtsc(void);

/* SVM (APM vol. 3, "VMRUN", "VMLOAD", "VMSAVE", "STGI", "CLGI") */
arch_fault_t arch_vmrun(uint64_t vmcb_pa, struct arch_gprs *gprs);
arch_fault_t arch_vmload(uint64_t vmcb_pa);
arch_fault_t arch_vmsave(uint64_t vmcb_pa);
arch_fault_t arch_stgi(void);
arch_fault_t arch_clgi(void);

/*
 * VMX (SDM vol. 3 chapter 31). Each returns ARCH_OK for VMsucceed, one of the
 * two VMfail outcomes below, or a fault (#UD where VMX is absent).
 * arch_vmxon first does what the platform must before VMXON (SDM vol. 3
 * §24.7): CR4.VMXE set, IA32_FEATURE_CONTROL locked with VMXON outside SMX
 * enabled where firmware left it unlocked; arch_vmxoff clears CR4.VMXE once
 * VMXOFF succeeded. VMLAUNCH and VMRESUME write the VMCS host-state area
 * (the platform's own state) before entering.
 */
#define ARCH_VMFAIL_INVALID 1u
#define ARCH_VMFAIL_VALID   2u
arch_fault_t arch_vmxon(uint64_t region_pa);
arch_fault_t arch_vmxoff(void);
arch_fault_t arch_vmclear(uint64_t vmcs_pa);
arch_fault_t arch_vmptrld(uint64_t vmcs_pa);
arch_fault_t arch_vmread(uint64_t field, uint64_t *value);
arch_fault_t arch_vmwrite(uint64_t field, uint64_t value);
arch_fault_t arch_vmlaunch(struct arch_gprs *gprs);
arch_fault_t arch_vmresume(struct arch_gprs *gprs);

/*
 * NMIs the calling processor has taken in host mode (GIF set, outside
 * VMRUN) since the platform started. An NMI that arrives while GIF is clear,
 * or that a #VMEXIT(NMI) reported, stays pending and is taken here once GIF
 * is set again (APM vol. 2 §15.17, §15.21.2); the platform's host handler
 * only counts it.
 */
uint32_t arch_host_nmis(void);

/*
 * STI and CLI: RFLAGS.IF in host mode, clear whenever the platform starts
 * a function. A maskable interrupt reaches the host only with IF and GIF
 * set (after the one-instruction STI shadow); with V_INTR_MASKING set, the
 * IF at VMRUN also decides whether physical interrupts reach the guest,
 * or with the INTR intercept make it exit (APM vol. 2 §15.21.1).
 */
void arch_irq_enable(void);
void arch_irq_disable(void);
/*
 * Maskable interrupts the calling processor has taken in host mode since
 * the platform started. The platform's handler only counts each and
 * signals EOI to the local APIC (none for the spurious vector FFh).
 */
uint32_t arch_host_irqs(void);

/* --- Local APIC (register offsets as in the xAPIC page, SDM §11.4.1) ------ */

uint32_t arch_apic_read(uint32_t offset);
void arch_apic_write(uint32_t offset, uint32_t value);
/*
 * ICR write: destination APIC ID and the low 32 bits of the ICR. An INIT
 * resets the processors it reaches where GIF lets it in, host code and all
 * (what it ran never returns); a start-up IPI then runs real-mode code of
 * the caller's below 1 MiB on them.
 */
void arch_apic_send_ipi(uint32_t dest, uint32_t icr_low);

/* --- Console and events --------------------------------------------------- */

void arch_console_write(const char *s, size_t n);

struct hv_event;
/* Hand an event to the platform's event stream (stamped with cpu and cycle). */
void arch_event(const struct hv_event *ev);

#endif
