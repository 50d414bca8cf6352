/* SPDX-License-Identifier: MIT */
/*
 * The virtual APIC's xAPIC page (see hv/vlapic.h): a load or store the
 * core decoded (hv/src/core/mmio.c) reaches the same register file as the
 * x2APIC MSRs, by its offset in the page.
 */
#include "hv/vlapic.h"
#include "vlapic_reg.h"
#include "x86/apic.h"

/* The register space of §10.4.1 (table 10-1): 1 KiB of 16-byte slots. */
#define APIC_REG_SPACE 0x400u
#define APIC_REG_SLOT 16u
#define APIC_REG_SIZE 4u

/*
 * A 32-bit access at a 16-byte boundary in xAPIC mode. Returns -1 for a
 * register the architecture has and this APIC does not, whose answer
 * would be made up.
 */
static int xapic_access(struct hv_vlapic *a, uint32_t offset, bool write, uint64_t *value)
{
	enum vlapic_result r = write ? hv_vlapic_reg_write(a, offset, *value)
				     : hv_vlapic_reg_read(a, offset, value);

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
			hv_vlapic_error(a, APIC_ESR_ILLEGAL_REGISTER);
		break;
	case VLAPIC_REFUSED:
		/* Writes to a read-only register are dropped; a write-only one reads 0. */
		break;
	}
	if (!write)
		*value = 0;
	return 0;
}

bool hv_vlapic_mmio(struct hv_vlapic *a, uint32_t offset, unsigned size, bool write,
		    uint64_t *value)
{
	if (hv_vlapic_mode(a->apic_base) != VLAPIC_XAPIC) {
		/*
		 * The page answers only in xAPIC mode: in x2APIC mode it is not
		 * accessible (§10.12.2), and a disabled APIC is as good as none
		 * (§10.4.3). Nothing answers: loads read all ones, stores go nowhere.
		 */
		if (!write)
			*value = ~0ull;
		return true;
	}
	/* Only 32-bit loads and stores at a 16-byte boundary are defined (§10.4.1). */
	if (size != APIC_REG_SIZE || (offset & (APIC_REG_SLOT - 1)))
		return false;
	return xapic_access(a, offset, write, value) == 0;
}
