/* SPDX-License-Identifier: MIT */
/*
 * Every vector of the IDT ends here. An exception raised by one of the
 * instructions that arch.h lets fail (RDMSR, WRMSR, VMRUN, VMLOAD, VMSAVE,
 * STGI, CLGI and the VMX instructions) is turned into a return value: the
 * instruction's address is in the hw_fixup table, and the handler resumes
 * at the matching fixup address with RAX = ARCH_FAULT(vector). RAX of the
 * interrupted context is the natural per-processor slot for the result, as
 * it is where the fixup code returns it from; the table itself is read-only
 * and shared, and everything else the handler keeps (nesting depth, NMI
 * count, scenario name) is the interrupted processor's own. Anything else is a bug in the
 * image or a scenario: it is described on the serial port and the image
 * ends with HW_EXIT_BROKEN.
 */
#include "vx/arch.h"
#include "x86/apic.h"
#include "hw.h"
#include "percpu.h"
#include "x86/cpu.h"

struct hw_fixup {
	uint64_t insn;
	uint64_t fixup;
};

extern const struct hw_fixup hw_fixup_start[], hw_fixup_end[];
extern const char hw_image_start[], hw_image_end[];

void hw_set_scenario(const char *name)
{
	hw_cpu_self()->scenario = name;
}

static const char *const vector_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "vector 9", "#TS",
	"#NP", "#SS", "#GP", "#PF", "vector 15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
	"vector 22", "vector 23", "vector 24", "vector 25", "vector 26", "vector 27",
	"#HV", "#VC", "#SX", "vector 31",
};

/* Exceptions an instruction raises because of its own operands or the
 * processor state it checks; NMI, #MC, #DB and interrupts are never an
 * instruction's outcome, even when they arrive at a listed address. */
static bool fixable(uint64_t vector)
{
	switch (vector) {
	case X86_VEC_UD:
	case X86_VEC_TS:
	case X86_VEC_NP:
	case X86_VEC_SS:
	case X86_VEC_GP:
	case X86_VEC_PF:
	case X86_VEC_AC:
		return true;
	default:
		return false;
	}
}

static const struct hw_fixup *fixup_find(uint64_t rip)
{
	for (const struct hw_fixup *e = hw_fixup_start; e < hw_fixup_end; e++)
		if (e->insn == rip)
			return e;
	return NULL;
}

static bool in_image(uint64_t addr)
{
	return addr >= (uint64_t)(uintptr_t)hw_image_start &&
	       addr < (uint64_t)(uintptr_t)hw_image_end;
}

/* The image is built with frame pointers; the chain ends at RBP = 0. */
static void backtrace(uint64_t rbp)
{
	for (int depth = 0; depth < 16 && rbp && !(rbp & 7) && in_image(rbp); depth++) {
		const uint64_t *fp = (const uint64_t *)(uintptr_t)rbp;

		hw_printf("#   called from %#018llx\n", (unsigned long long)fp[1]);
		rbp = fp[0];
	}
}

static void describe(const struct hw_frame *f)
{
	const char *name = f->vector < 32 ? vector_names[f->vector] : "interrupt";
	const struct hw_cpu *c = hw_cpu_self();

	hw_printf("Bail out! vxemu-hw: unexpected %s (vector %llu, error code %#llx) at "
		  "rip %#llx on cpu %u%s%s\n",
		  name, (unsigned long long)f->vector, (unsigned long long)f->error,
		  (unsigned long long)f->rip, (unsigned)c->index, c->scenario ? " in scenario " : "",
		  c->scenario ? c->scenario : "");
	hw_printf("# rax %#018llx rbx %#018llx rcx %#018llx rdx %#018llx\n",
		  (unsigned long long)f->rax, (unsigned long long)f->rbx,
		  (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	hw_printf("# rsi %#018llx rdi %#018llx rbp %#018llx rsp %#018llx\n",
		  (unsigned long long)f->rsi, (unsigned long long)f->rdi,
		  (unsigned long long)f->rbp, (unsigned long long)f->rsp);
	hw_printf("# r8  %#018llx r9  %#018llx r10 %#018llx r11 %#018llx\n",
		  (unsigned long long)f->r8, (unsigned long long)f->r9,
		  (unsigned long long)f->r10, (unsigned long long)f->r11);
	hw_printf("# r12 %#018llx r13 %#018llx r14 %#018llx r15 %#018llx\n",
		  (unsigned long long)f->r12, (unsigned long long)f->r13,
		  (unsigned long long)f->r14, (unsigned long long)f->r15);
	hw_printf("# cs %#llx ss %#llx rflags %#llx cr0 %#llx cr2 %#llx cr3 %#llx cr4 %#llx\n",
		  (unsigned long long)f->cs, (unsigned long long)f->ss,
		  (unsigned long long)f->rflags, (unsigned long long)hw_read_cr0(),
		  (unsigned long long)hw_read_cr2(), (unsigned long long)hw_read_cr3(),
		  (unsigned long long)hw_read_cr4());
	backtrace(f->rbp);
}

/* NMIs the calling processor took in host mode. */
uint32_t arch_host_nmis(void)
{
	return hw_cpu_self()->host_nmis;
}

uint32_t arch_host_irqs(void)
{
	return hw_cpu_self()->host_irqs;
}

void arch_irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

void arch_irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

void hw_trap(struct hw_frame *f)
{
	struct hw_cpu *c = hw_cpu_self();
	const struct hw_fixup *e;

	/* An NMI in host mode is legitimate: one a #VMEXIT(NMI) left pending, or
	 * one a scenario sent while GIF was clear, taken once GIF is set. */
	if (f->vector == X86_VEC_NMI) {
		c->host_nmis++;
		return;
	}
	/* Vectors 32-255 come only from the local APIC: host code runs no
	 * INT n, and the 8259s are masked. FFh is the spurious vector the
	 * scenarios program, which takes no EOI (SDM vol. 3 §11.9). */
	if (f->vector >= 32) {
		c->host_irqs++;
		if (f->vector != 0xff)
			arch_apic_write(APIC_EOI, 0);
		return;
	}
	if (fixable(f->vector) && (e = fixup_find(f->rip)) != NULL) {
		f->rax = ARCH_FAULT(f->vector);
		f->rip = e->fixup;
		return;
	}
	/* A fault while describing a fault: say the least and stop. */
	if (c->trap_depth++) {
		static const char msg[] = "Bail out! vxemu-hw: fault in the fault handler\n";

		hw_serial_write(msg, sizeof(msg) - 1);
		hw_exit(HW_EXIT_BROKEN);
	}
	/* One report, not interleaved with another processor's output. */
	hw_console_lock();
	describe(f);
	hw_exit(HW_EXIT_BROKEN);
}
