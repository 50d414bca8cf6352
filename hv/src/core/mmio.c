/* SPDX-License-Identifier: MIT */
/*
 * Emulated device pages (see mmio.h): a second-level fault in the page the
 * second-level tables leave out is the guest's load or store of a device
 * register, here the virtual APIC's (hv/vlapic.h). The instruction comes
 * from the processor's decode assists when it stored the bytes (APM vol. 2
 * §15.8.4), else from guest memory (insn_fetch.c); the core decodes it
 * (insn_decode.c), the device performs the access (hv_vlapic_mmio), and
 * the guest resumes after the instruction.
 */
#include "hv/lib.h"
#include "hv/vcpu.h"
#include "hv/vlapic.h"
#include "hv/vm.h"
#include "insn.h"
#include "mmio.h"

#define PAGE_SIZE 4096u

bool hv_mmio_apic_page(const struct hv_vcpu *vcpu, uint64_t gpa)
{
	return vcpu->vm && vcpu->vm->config.use_npt &&
	       (gpa & ~(uint64_t)(PAGE_SIZE - 1)) == vcpu->vm->apic_page;
}

static int unhandled(struct hv_exit *exit, uint64_t gpa, const uint8_t *insn, unsigned n)
{
	exit->reason = HV_EXIT_INTERNAL_ERROR;
	exit->internal.suberror = HV_INTERNAL_EMULATION;
	exit->internal.fault = ARCH_OK;
	exit->internal.gpa = gpa;
	exit->internal.insn_len = (uint8_t)n;
	hv_memcpy(exit->internal.insn, insn, n);
	return 0;
}

/* A register write of `size` bytes: 32-bit results zero-extend, 16-bit ones merge. */
static void set_reg(struct hv_vcpu *vcpu, unsigned reg, unsigned size, uint64_t value)
{
	uint64_t old = vcpu->ops->get_gpr(vcpu, reg);

	if (size == 2)
		value = (old & ~0xffffull) | (value & 0xffffull);
	else if (size == 4)
		value &= 0xffffffffull;
	vcpu->ops->set_gpr(vcpu, reg, value);
}

/*
 * The guest-physical address of insn's operand, from the instruction's own
 * address computation, as an emulator must: the fault says which page
 * faulted, the operand which register in it. False when it cannot be
 * computed or is not in the faulting page (then the bytes at CS:RIP are not
 * the access that faulted).
 */
static bool operand_gpa(struct hv_vcpu *vcpu, const struct hv_insn_state *st,
			const struct hv_insn *insn, uint64_t fault_gpa, uint64_t *gpa)
{
	uint64_t la;

	return hv_insn_linear(vcpu, st, insn, &la) && hv_insn_translate(vcpu, st, la, gpa) &&
	       (*gpa & ~(uint64_t)(PAGE_SIZE - 1)) == (fault_gpa & ~(uint64_t)(PAGE_SIZE - 1));
}

int hv_mmio_emulate(struct hv_vcpu *vcpu, uint64_t gpa, uint32_t access, struct hv_exit *exit)
{
	uint8_t bytes[HV_INSN_MAX];
	struct hv_insn_state st;
	struct hv_insn insn;
	uint64_t value = 0, op_gpa;
	uint32_t offset;
	unsigned n;

	vcpu->ops->get_insn_state(vcpu, &st);
	n = vcpu->ops->get_insn_bytes(vcpu, bytes, sizeof(bytes));
	if (n == 0)
		n = hv_insn_fetch(vcpu, &st, bytes, sizeof(bytes));
	/*
	 * Code fetched from the page, guest page tables in it, or a fault while
	 * delivering an event: the access is not the instruction at CS:RIP.
	 * Nor is it when the instruction's direction is not the fault's.
	 */
	if ((access & (HV_GPA_FETCH | HV_GPA_TABLE | HV_GPA_EVENT)) ||
	    hv_insn_decode(bytes, n, hv_insn_mode(&st), &insn) != 0 ||
	    insn.write != ((access & HV_GPA_WRITE) != 0) ||
	    !operand_gpa(vcpu, &st, &insn, gpa, &op_gpa))
		return unhandled(exit, gpa, bytes, n);
	offset = (uint32_t)(op_gpa & (PAGE_SIZE - 1));
	/* An access that runs into the next page is not the page's alone. */
	if (offset + insn.size > PAGE_SIZE)
		return unhandled(exit, op_gpa, bytes, n);
	if (insn.write)
		value = (insn.has_imm ? insn.imm : vcpu->ops->get_gpr(vcpu, insn.reg)) &
			(insn.size == 8 ? ~0ull : (1ull << (8 * insn.size)) - 1);
	if (!hv_vlapic_mmio(&vcpu->apic, offset, insn.size, insn.write, &value))
		return unhandled(exit, op_gpa, bytes, n);
	if (!insn.write)
		set_reg(vcpu, insn.reg, insn.size, value);
	vcpu->ops->skip_instruction(vcpu, insn.len);
	return 1;
}
