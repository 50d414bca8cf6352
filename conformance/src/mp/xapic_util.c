/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the xAPIC scenarios (see xapic_util.h): the VM of
 * mp_util.c, built with nested paging over the xapic_guest payload.
 */
#include "xapic_util.h"

#include "../core/backend.h"
#include "../guest/payload.h"

const char *conf_xapic_need2(void)
{
	const char *why = conf_slat_unsupported();

	return why ? why : conf_mp_need2();
}

const char *conf_xapic_need4(void)
{
	const char *why = conf_slat_unsupported();

	return why ? why : conf_mp_need4();
}

uint64_t conf_xapic_addr(struct conf_mp *m, const uint8_t *label)
{
	return hv_guest_addr(&m->guest, (size_t)(label - m->payload.start));
}

uint32_t conf_xapic_out(struct conf_mp *m, unsigned i)
{
	return conf_mp_u32(m, xapic_guest_out)[i];
}

bool conf_xapic_setup(struct conf_ctx *ctx, struct conf_mp *m, uint32_t nr_vcpus,
		      const uint8_t *entry)
{
	static const struct conf_mp_guest g = {
		.payload = { xapic_guest_start, xapic_guest_end, xapic_guest_entry },
		.ap64 = xapic_guest_ap64,
		.sipi_vector = xapic_guest_sipi_vector,
		.use_npt = true,
	};

	return conf_mp_setup_guest(ctx, m, nr_vcpus, &g, entry);
}

bool conf_xapic_start(struct conf_mp *m, uint32_t id, const uint8_t *label)
{
	return conf_mp_start_vcpu(m->ctx, &m->vm, &m->ram, id, conf_xapic_addr(m, label));
}
