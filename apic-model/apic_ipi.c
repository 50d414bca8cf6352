/* SPDX-License-Identifier: MIT */
/*
 * Interprocessor interrupts (SDM vol. 3 §11.6): the ICR's delivery modes,
 * physical and logical destinations in both modes, shorthands, lowest
 * priority arbitration, and what each delivery leaves for the processor
 * model (INTR, NMI, INIT, start-up, SMI).
 */
#include "apic-model/apic_internal.h"
#include "x86/apic.h"

#define ICR_DM_REMOTE_READ (3u << 8)

/* §11.6.2.2 (xAPIC flat and cluster models) and §11.12.10.2 (x2APIC cluster). */
static bool logical_match(const struct apic_state *t, uint32_t dest)
{
	if (apic_mode(t) == APIC_MODE_X2APIC)
		return (dest >> 16) == (t->ldr >> 16) && (dest & t->ldr & 0xffffu) != 0;

	uint32_t mda = dest & 0xff, id = t->ldr >> 24;

	switch (t->dfr >> 28) {
	case 0xf: /* flat: one bit per APIC */
		return (id & mda) != 0;
	case 0x0: /* cluster: cluster in bits 7:4, APIC bits in 3:0 */
		return (id >> 4) == (mda >> 4) && (id & mda & 0xf) != 0;
	default: /* any other model is undefined: no APIC matches */
		return false;
	}
}

static bool is_target(const struct emu_cpu *from, const struct emu_cpu *t, uint32_t icr_lo,
		      uint32_t dest, bool from_x2)
{
	const struct apic_state *a = apic_of(t);

	switch (icr_lo & APIC_DEST_SHORTHAND_MASK) {
	case APIC_DEST_SELF:
		return t == from;
	case APIC_DEST_ALLINC:
		return true;
	case APIC_DEST_ALLBUT:
		return t != from;
	default:
		break;
	}
	/* All ones is a broadcast in both destination modes (§11.6.2.1, §11.12.9). */
	if (dest == (from_x2 ? APIC_X2APIC_BROADCAST : APIC_XAPIC_BROADCAST))
		return true;
	if (icr_lo & APIC_DEST_LOGICAL)
		return logical_match(a, dest);
	return dest == apic_id_of(a);
}

/*
 * Lowest priority (§11.6.2.4): the target with the lowest PPR among those
 * that would accept a fixed interrupt (enabled in software); ties go to the
 * lowest APIC ID, so the choice is deterministic. Focus processor checking
 * (SVR bit 9) is not modelled.
 */
static struct emu_cpu *lowest_priority(struct emu_cpu **cand, uint32_t n)
{
	struct emu_cpu *best = NULL;

	for (uint32_t i = 0; i < n; i++) {
		struct apic_state *a = apic_of(cand[i]);

		if (!(a->svr & APIC_SVR_ENABLE))
			continue;
		if (!best) {
			best = cand[i];
			continue;
		}
		uint32_t p = apic_ppr(a), bp = apic_ppr(apic_of(best));

		if (p < bp || (p == bp && apic_id_of(a) < apic_id_of(apic_of(best))))
			best = cand[i];
	}
	return best;
}

static void deliver(struct emu_cpu *t, uint32_t icr_lo)
{
	struct apic_state *a = apic_of(t);
	uint8_t vector = icr_lo & APIC_ICR_VECTOR_MASK;

	/* NMI, SMI, INIT and start-up arrive whatever the APIC's state;
	 * fixed interrupts are reported where the APIC takes them. */
	switch (icr_lo & APIC_DM_MASK) {
	case APIC_DM_SMI:
	case APIC_DM_NMI:
	case APIC_DM_INIT:
	case APIC_DM_STARTUP:
		emu_emit(t, HV_EV_APIC_ACCEPT, apic_id_of(a), (icr_lo & APIC_DM_MASK) >> 8,
			 !!(icr_lo & APIC_INT_LEVELTRIG), vector, NULL);
		break;
	default:
		break;
	}
	switch (icr_lo & APIC_DM_MASK) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
		/* The trigger mode decides TMR (§11.8.4); the level bit is not used. */
		apic_accept_fixed(t, vector, (icr_lo & APIC_INT_LEVELTRIG) != 0,
				  icr_lo & APIC_DM_MASK);
		break;
	case APIC_DM_SMI:
		a->smi_pending = true;
		break;
	case APIC_DM_NMI:
		emu_pin_nmi(t);
		break;
	case APIC_DM_INIT:
		/* An INIT replaces a start-up IPI not yet taken (facts §(e)). */
		a->init_pending = true;
		a->sipi_pending = false;
		/* The processor decides what it means in its mode now. */
		emu_pin_init_sipi(t);
		return;
	case APIC_DM_STARTUP:
		a->sipi_pending = true;
		a->sipi_vector = vector;
		emu_pin_init_sipi(t);
		return;
	default:
		return;
	}
	/* Whatever arrived may end a HLT. */
	emu_cpu_kick(t);
}

void apic_icr_send(struct emu_cpu *from, uint32_t icr_lo, uint32_t dest)
{
	struct emu_machine *m = from->m;
	uint32_t mode = icr_lo & APIC_DM_MASK, n = 0;
	struct emu_cpu *cand[EMU_MAX_CPUS];
	bool from_x2 = apic_mode(apic_of(from)) == APIC_MODE_X2APIC;

	/* Sent by host code through arch.h, the hardware image sees it too. */
	emu_emit_event(from, &(struct hv_event){ .type = HV_EV_IPI,
						  .source = from->in_engine ? HV_SRC_MODEL : HV_SRC_SEAM,
						  .v = { dest, icr_lo } });
	/* §11.5.3: an illegal vector is not sent; the sender records it. */
	if ((mode == APIC_DM_FIXED || mode == APIC_DM_LOWEST) &&
	    (icr_lo & APIC_ICR_VECTOR_MASK) < 16) {
		apic_error(from, APIC_ESR_SEND_ILLEGAL_VECTOR);
		return;
	}
	/* INIT level de-assert (trigger level, level 0) is ignored (facts §(e)). */
	if (mode == APIC_DM_INIT && (icr_lo & APIC_INT_LEVELTRIG) && !(icr_lo & APIC_INT_ASSERT))
		return;
	/* Remote read is not supported; ExtINT needs an 8259A, which the model lacks. */
	if (mode == ICR_DM_REMOTE_READ || mode == APIC_DM_EXTINT)
		return;
	for (uint32_t i = 0; i < m->cfg.ncpus; i++) {
		struct emu_cpu *t = &m->cpu[i];

		/* A globally disabled APIC is not on the bus (§11.4.3). */
		if (!apic_of(t) || apic_mode(apic_of(t)) == APIC_MODE_DISABLED)
			continue;
		if (is_target(from, t, icr_lo, dest, from_x2))
			cand[n++] = t;
	}
	if (mode == APIC_DM_LOWEST) {
		struct emu_cpu *t = lowest_priority(cand, n);

		if (t)
			deliver(t, icr_lo);
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		deliver(cand[i], icr_lo);
}

void apic_model_send_ipi(struct emu_cpu *from, uint32_t dest, uint32_t icr_lo)
{
	switch (apic_mode(apic_of(from))) {
	case APIC_MODE_X2APIC:
		(void)apic_reg_write(from, APIC_ICR_LOW, (uint64_t)dest << 32 | icr_lo, true);
		break;
	case APIC_MODE_XAPIC:
		/* The high half first: writing the low half sends (§11.6.1). */
		apic_reg_write(from, APIC_ICR_HIGH, dest << 24, false);
		apic_reg_write(from, APIC_ICR_LOW, icr_lo, false);
		break;
	default:
		break;
	}
}

bool apic_model_take_init(struct emu_cpu *cpu)
{
	bool v = apic_of(cpu)->init_pending;

	apic_of(cpu)->init_pending = false;
	return v;
}

bool apic_model_take_sipi(struct emu_cpu *cpu, uint8_t *vector)
{
	struct apic_state *a = apic_of(cpu);
	bool v = a->sipi_pending;

	if (v && vector)
		*vector = a->sipi_vector;
	a->sipi_pending = false;
	return v;
}

bool apic_model_take_smi(struct emu_cpu *cpu)
{
	bool v = apic_of(cpu)->smi_pending;

	apic_of(cpu)->smi_pending = false;
	return v;
}

/* §11.4.7.3: INIT resets the APIC as at power-up but keeps its ID and mode. */
void apic_model_init_reset(struct emu_cpu *cpu)
{
	apic_reset_registers(cpu, true);
}
