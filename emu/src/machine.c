/* SPDX-License-Identifier: MIT */
/*
 * A machine: guest-physical memory, N model processors on one cycle clock,
 * and the scheduler that runs them as coroutines on one host thread. The
 * scheduler always resumes the ready processor that is furthest behind in
 * cycles (lowest index on a tie), so a run depends on nothing but its inputs.
 */
/* mmap(MAP_ANONYMOUS) is POSIX, not C11. */
#define _DEFAULT_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>

#include "emu_internal.h"

#define EMU_STACK_SIZE (256u * 1024u)
#define EMU_RAM_DEFAULT (64ull << 20)

struct emu_machine *emu_current_machine;

void emu_config_default(struct emu_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ncpus = 1;
	cfg->ram_size = EMU_RAM_DEFAULT;
	cfg->vnmi = true;
	cfg->nrips = true;
	cfg->decode_assists = true;
	cfg->npt = true;
	cfg->vmx_activity_hlt = true;
	cfg->vmx_activity_shutdown = true;
	cfg->vmx_activity_wait_sipi = true;
	cfg->quantum = 100000;
	cfg->max_cycles = 4000000000ull;
	cfg->max_host_ms = 60000;
}

struct emu_cpu *emu_current_cpu(void)
{
	return emu_current_machine ? emu_current_machine->current : NULL;
}

void emu_emit_event(struct emu_cpu *cpu, const struct hv_event *ev)
{
	struct emu_machine *m = cpu->m;
	struct hv_event e;

	if (!m->listener)
		return;
	e = *ev;
	e.cycle = cpu->cycle;
	e.cpu = cpu->index;
	m->listener(m->listener_user, &e);
}

void emu_emit(struct emu_cpu *cpu, uint32_t type, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
	      const char *text)
{
	if (!cpu->m->listener)
		return;
	emu_emit_event(cpu, &(struct hv_event){ .type = (uint16_t)type, .source = HV_SRC_MODEL,
						 .v = { a, b, c, d }, .text = text });
}

void emu_fatal(struct emu_cpu *cpu, const char *fmt, ...)
{
	struct emu_machine *m = cpu->m;
	va_list ap;
	int n;

	if (!m->failed) {
		n = snprintf(m->error, sizeof(m->error), "cpu %u: ", cpu->index);
		va_start(ap, fmt);
		vsnprintf(m->error + n, sizeof(m->error) - (size_t)n, fmt, ap);
		va_end(ap);
		m->failed = true;
	}
	cpu->state = EMU_CPU_DONE;
	/* Never resumed: the scheduler sees the failure and ends the run. */
	for (;;)
		emu_coro_yield();
}

/*
 * The processor furthest behind runs next. A processor halted with a timed
 * event pending counts as being at that event's cycle: when it is the one
 * furthest behind, its clock skips the idle time and it wakes.
 */
static struct emu_cpu *pick(struct emu_machine *m)
{
	struct emu_cpu *best = NULL;
	uint64_t best_t = 0;

	for (uint32_t i = 0; i < m->cfg.ncpus; i++) {
		struct emu_cpu *c = &m->cpu[i];
		uint64_t t;

		if (c->wait_for_sipi)
			continue;
		if (c->state == EMU_CPU_READY)
			t = c->cycle;
		else if (c->state == EMU_CPU_BLOCKED && c->event_at != ~0ull)
			t = c->event_at > c->cycle ? c->event_at : c->cycle;
		else
			continue;
		if (!best || t < best_t) {
			best = c;
			best_t = t;
		}
	}
	if (best && best->state == EMU_CPU_BLOCKED) {
		best->cycle = best_t;
		best->state = EMU_CPU_READY;
	}
	return best;
}

void emu_cpu_kick(struct emu_cpu *target)
{
	struct emu_cpu *from = emu_current_cpu();

	/* Waiting for SIPI is not HLT: only a start-up IPI ends it (reset.c). */
	if (target->state != EMU_CPU_BLOCKED || target->wait_for_sipi)
		return;
	if (from && from->cycle > target->cycle)
		target->cycle = from->cycle;
	target->state = EMU_CPU_READY;
}

void emu_timed_sync(struct emu_cpu *cpu)
{
	const struct emu_machine *m = cpu->m;
	uint64_t at = ~0ull;

	for (uint32_t i = 0; i < m->ndevices; i++) {
		if (m->devices[i]->deadline) {
			uint64_t d = m->devices[i]->deadline(cpu);

			at = d < at ? d : at;
		}
	}
	cpu->event_at = at;
	cpu->stop_at = cpu->deadline < cpu->event_at ? cpu->deadline : cpu->event_at;
}

/* The devices' timed events, in the order the machine lists them (each
 * does nothing before its deadline). */
static void device_events(struct emu_cpu *cpu)
{
	const struct emu_machine *m = cpu->m;

	for (uint32_t i = 0; i < m->ndevices; i++)
		if (m->devices[i]->fire)
			m->devices[i]->fire(cpu);
	emu_timed_sync(cpu);
}

void emu_timed_events(struct emu_cpu *cpu)
{
	/* on_event reschedules (or clears) event_at; a bound keeps a source
	 * that never moves its deadline from spinning here. */
	for (int i = 0; i < 16 && cpu->cycle >= cpu->event_at; i++) {
		uint64_t was = cpu->event_at;

		if (!cpu->on_event) {
			cpu->event_at = ~0ull;
			break;
		}
		cpu->on_event(cpu);
		if (cpu->event_at == was)
			emu_fatal(cpu, "a timed event at cycle %llu did not reschedule itself",
				  (unsigned long long)was);
	}
	cpu->stop_at = cpu->deadline < cpu->event_at ? cpu->deadline : cpu->event_at;
}

static uint64_t host_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

/*
 * Every quantum and every pause passes here, so a run that takes too long
 * in host time — whatever the guest or the host code is doing — ends here.
 */
static void host_time_guard(struct emu_cpu *cpu)
{
	struct emu_machine *m = cpu->m;

	if (m->cfg.max_host_ms && host_ms() - m->host_start_ms > m->cfg.max_host_ms)
		emu_fatal(cpu, "the run took more than %u ms of host time (cycle %llu, rip %#llx)",
			  m->cfg.max_host_ms, (unsigned long long)cpu->cycle,
			  (unsigned long long)emu_reg_get(cpu, UC_X86_REG_RIP));
}

void emu_schedule_point(struct emu_cpu *cpu)
{
	struct emu_machine *m = cpu->m;

	host_time_guard(cpu);
	for (uint32_t i = 0; i < m->cfg.ncpus; i++) {
		struct emu_cpu *c = &m->cpu[i];

		if (c != cpu && c->state == EMU_CPU_READY &&
		    (c->cycle < cpu->cycle || (c->cycle == cpu->cycle && c->index < cpu->index))) {
			emu_coro_yield();
			return;
		}
	}
}

static void cpu_entry(void *arg)
{
	struct emu_cpu *cpu = arg;

	cpu->fn(cpu->fn_arg);
	cpu->state = EMU_CPU_DONE;
}

int emu_cpu_launch(struct emu_cpu *cpu, void (*fn)(void *), void *arg)
{
	if (cpu->state == EMU_CPU_READY || cpu->state == EMU_CPU_BLOCKED)
		return -1;
	emu_coro_free(cpu->coro);
	cpu->fn = fn;
	cpu->fn_arg = arg;
	cpu->coro = emu_coro_new(cpu_entry, cpu, EMU_STACK_SIZE);
	if (!cpu->coro)
		return -1;
	cpu->state = EMU_CPU_READY;
	return 0;
}

/* Each model's per-processor state, the extension's first. */
static int cpu_models_init(struct emu_cpu *c)
{
	const struct emu_machine *m = c->m;

	if (m->vext->cpu_init(c) != 0)
		return -1;
	for (uint32_t i = 0; i < m->ndevices; i++)
		if (m->devices[i]->cpu_init && m->devices[i]->cpu_init(c) != 0)
			return -1;
	return 0;
}

static void cpu_models_fini(struct emu_cpu *c)
{
	const struct emu_machine *m = c->m;

	m->vext->cpu_fini(c);
	for (uint32_t i = 0; i < m->ndevices; i++)
		if (m->devices[i]->cpu_fini)
			m->devices[i]->cpu_fini(c);
}

struct emu_machine *emu_machine_create(const struct emu_config *cfg, char *err, size_t errlen)
{
	struct emu_machine *m;

	if (cfg->ncpus < 1 || cfg->ncpus > EMU_MAX_CPUS) {
		snprintf(err, errlen, "processors: %u is outside 1..%d", cfg->ncpus, EMU_MAX_CPUS);
		return NULL;
	}
	if (cfg->ram_size < (2ull << 20) || cfg->ram_size > (3ull << 30) ||
	    (cfg->ram_size & 4095)) {
		snprintf(err, errlen, "memory: %llu bytes is not a 4 KiB multiple in 2 MiB..3 GiB",
			 (unsigned long long)cfg->ram_size);
		return NULL;
	}
	if (cfg->vendor != EMU_VENDOR_AMD && cfg->vendor != EMU_VENDOR_INTEL) {
		snprintf(err, errlen, "vendor: %d is neither AMD nor Intel", (int)cfg->vendor);
		return NULL;
	}
	if (cfg->quantum == 0) {
		snprintf(err, errlen, "quantum: must be at least one cycle");
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	m->cfg = *cfg;
	m->ram_size = cfg->ram_size;
	/* Anonymous pages are zero and cost nothing until the guest touches them. */
	m->ram = mmap(NULL, m->ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->ram == MAP_FAILED) {
		snprintf(err, errlen, "out of memory for %llu bytes of guest memory",
			 (unsigned long long)m->ram_size);
		free(m);
		return NULL;
	}
	/* Above the real-mode area, where the hardware image's pool starts too. */
	m->next_page = ARCH_ALLOC_BASE;
	emu_compose(m);
	if (cfg->costs) {
		m->costs = cfg->costs;
	} else {
		m->owned_costs = emu_costs_new();
		m->costs = m->owned_costs;
	}
	for (uint32_t i = 0; i < cfg->ncpus; i++) {
		struct emu_cpu *c = &m->cpu[i];

		c->m = m;
		c->index = i;
		c->state = EMU_CPU_OFF;
		c->event_at = ~0ull;
		c->on_event = device_events;
		if (!m->costs || cpu_models_init(c) != 0 ||
		    emu_engine_init(c, err, errlen) != 0) {
			if (!m->costs)
				snprintf(err, errlen, "out of memory");
			emu_machine_destroy(m);
			return NULL;
		}
	}
	return m;
}

void emu_machine_destroy(struct emu_machine *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; i < EMU_MAX_CPUS; i++) {
		struct emu_cpu *c = &m->cpu[i];

		if (!c->m)
			continue;
		cpu_models_fini(c);
		emu_engine_fini(c);
		emu_coro_free(c->coro);
	}
	emu_costs_free(m->owned_costs);
	munmap(m->ram, m->ram_size);
	free(m);
}

/*
 * Host code keeps a run going; a processor that waits for a start-up IPI,
 * or runs the code one started, has no end of its own and does not.
 */
static bool runs_host_code(const struct emu_cpu *c)
{
	return (c->state == EMU_CPU_READY || c->state == EMU_CPU_BLOCKED) && !c->wait_for_sipi &&
	       !c->bare;
}

static bool host_code_left(const struct emu_machine *m)
{
	for (uint32_t i = 0; i < m->cfg.ncpus; i++)
		if (runs_host_code(&m->cpu[i]))
			return true;
	return false;
}

int emu_machine_run(struct emu_machine *m, void (*fn)(void *), void *arg)
{
	struct emu_machine *outer = emu_current_machine;

	if (m->failed)
		return -1;
	if (emu_cpu_launch(&m->cpu[0], fn, arg) != 0) {
		snprintf(m->error, sizeof(m->error), "processor 0 is already running");
		return -1;
	}
	emu_current_machine = m;
	m->host_start_ms = host_ms();
	while (host_code_left(m)) {
		struct emu_cpu *c = pick(m);

		if (!c)
			break;
		m->current = c;
		emu_coro_enter(c->coro);
		m->current = NULL;
		if (m->failed)
			break;
	}
	emu_current_machine = outer;
	if (!m->failed) {
		for (uint32_t i = 0; i < m->cfg.ncpus; i++) {
			if (m->cpu[i].state == EMU_CPU_BLOCKED && runs_host_code(&m->cpu[i])) {
				snprintf(m->error, sizeof(m->error),
					 "cpu %u: blocked with nothing left to wake it", i);
				m->failed = true;
				break;
			}
		}
	}
	for (uint32_t i = 0; i < m->cfg.ncpus; i++) {
		if (m->cpu[i].state != EMU_CPU_OFF)
			m->cpu[i].state = EMU_CPU_DONE;
	}
	return m->failed ? -1 : 0;
}

const char *emu_machine_error(const struct emu_machine *m)
{
	return m->failed ? m->error : "";
}

void emu_set_event_listener(struct emu_machine *m, emu_event_fn fn, void *user)
{
	m->listener = fn;
	m->listener_user = user;
}

void emu_machine_cpuid(struct emu_machine *m, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	struct arch_cpuid r;

	emu_cpuid(&m->cpu[0], leaf, subleaf, false, &r);
	out[0] = r.eax;
	out[1] = r.ebx;
	out[2] = r.ecx;
	out[3] = r.edx;
}

void emu_machine_stats(const struct emu_machine *m, struct emu_stats *out)
{
	*out = m->stats;
	out->guest_instructions = 0;
	for (uint32_t i = 0; i < m->cfg.ncpus; i++) {
		out->cycles[i] = m->cpu[i].cycle;
		out->guest_instructions += m->cpu[i].insns;
	}
}
