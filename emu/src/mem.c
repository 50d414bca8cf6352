/* SPDX-License-Identifier: MIT */
/*
 * Guest-physical memory. The model owns one RAM buffer; every access the
 * model makes on the guest's behalf goes through emu_ram_ptr(), which checks
 * the whole range, so no guest value can steer the model outside it.
 */
#include "emu_internal.h"

void *emu_ram_ptr(struct emu_machine *m, uint64_t pa, uint64_t len)
{
	if (len == 0 || pa >= m->ram_size || len > m->ram_size - pa)
		return NULL;
	return m->ram + pa;
}

uint64_t emu_ram_size(const struct emu_machine *m)
{
	return m->ram_size;
}
