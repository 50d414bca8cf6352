/* SPDX-License-Identifier: MIT */
/*
 * The virtual APIC's xAPIC page (see hv/vlapic.h): a #NPF in the page the
 * nested tables leave out is the guest's load or store of an APIC
 * register. The instruction comes from the processor's decode assists
 * when it stored the bytes (APM vol. 2 §15.8.4), else from guest memory
 * (insn_fetch.c); the access goes to the same register file as the x2APIC
 * MSRs, and the guest resumes after the instruction.
 */
#include "hv/lib.h"
#include "hv/vcpu.h"
#include "hv/vlapic.h"
#include "hv/vm.h"
#include "insn.h"
#include "vlapic_reg.h"
#include "x86/apic.h"

#define PAGE_SIZE 4096u
/* The register space of §10.4.1 (table 10-1): 1 KiB of 16-byte slots. */
#define APIC_REG_SPACE 0x400u
#define APIC_REG_SLOT 16u
#define APIC_REG_SIZE 4u

bool hv_vlapic_mmio_page(const struct hv_vcpu *vcpu, uint64_t gpa)
{
	return vcpu->vm && vcpu->vm->config.use_npt &&
	       (gpa & ~(uint64_t)(PAGE_SIZE - 1)) == vcpu->vm->npt.hole;
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
 * A 32-bit access at a 16-byte boundary in xAPIC mode. Returns -1 for a
 * register the architecture has and this APIC does not, whose answer
 * would be made up.
 */
static int xapic_access(struct hv_vcpu *vcpu, uint32_t offset, bool write, uint64_t *value)
{
	enum vlapic_result r = write ? hv_vlapic_reg_write(vcpu, offset, *value)
				     : hv_vlapic_reg_read(vcpu, offset, value);

	switch (r) {
	case VLAPIC_OK:
		return 0;
	case VLAPIC_MISSING:
		return -1;
	case VLAPIC_ABSENT:
		/*
		 * No register there: reads 0, writes go nowhere, and within the
		 * register space the APIC reports an illegal register address
		 * (§10.5.3, ESR bit 7).
		 */
		if (offset < APIC_REG_SPACE)
			hv_vlapic_error(vcpu, APIC_ESR_ILLEGAL_REGISTER);
		break;
	case VLAPIC_REFUSED:
		/* Writes to a read-only register are dropped; a write-only one reads 0. */
		break;
	}
	if (!write)
		*value = 0;
	return 0;
}

/*
 * The guest-physical address of insn's operand, from the instruction's own
 * address computation, as an emulator must: the #NPF says which page
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

int hv_vlapic_npf(struct hv_vcpu *vcpu, uint64_t gpa, uint32_t access, struct hv_exit *exit)
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
	if ((access & (HV_NPF_FETCH | HV_NPF_TABLE | HV_NPF_EVENT)) ||
	    hv_insn_decode(bytes, n, hv_insn_mode(&st), &insn) != 0 ||
	    insn.write != ((access & HV_NPF_WRITE) != 0) ||
	    !operand_gpa(vcpu, &st, &insn, gpa, &op_gpa))
		return unhandled(exit, gpa, bytes, n);
	offset = (uint32_t)(op_gpa & (PAGE_SIZE - 1));
	/* An access that runs into the next page is not the page's alone. */
	if (offset + insn.size > PAGE_SIZE)
		return unhandled(exit, op_gpa, bytes, n);
	if (hv_vlapic_mode(vcpu->apic.apic_base) != VLAPIC_XAPIC) {
		/*
		 * The page answers only in xAPIC mode: in x2APIC mode it is not
		 * accessible (§10.12.2), and a disabled APIC is as good as none
		 * (§10.4.3). Nothing answers: loads read all ones, stores go nowhere.
		 */
		if (!insn.write)
			set_reg(vcpu, insn.reg, insn.size, ~0ull);
		vcpu->ops->skip_instruction(vcpu, insn.len);
		return 1;
	}
	/* Only 32-bit loads and stores at a 16-byte boundary are defined (§10.4.1). */
	if (insn.size != APIC_REG_SIZE || (offset & (APIC_REG_SLOT - 1)))
		return unhandled(exit, op_gpa, bytes, n);
	if (insn.write)
		value = (insn.has_imm ? insn.imm : vcpu->ops->get_gpr(vcpu, insn.reg)) & 0xffffffffull;
	if (xapic_access(vcpu, offset, insn.write, &value) != 0)
		return unhandled(exit, op_gpa, bytes, n);
	if (!insn.write)
		set_reg(vcpu, insn.reg, insn.size, value);
	vcpu->ops->skip_instruction(vcpu, insn.len);
	return 1;
}
