/* SPDX-License-Identifier: MIT */
/*
 * hw_main: what the image does once in long mode. Reads the multiboot
 * command line, brings up the application processors, then runs the
 * selected conformance scenarios on processor 0 and reports them on the
 * serial port, measures round trips (bench=N, benchvmx=N), or tests the
 * processors (selftest=smp). Ends through hw_exit with HW_EXIT_PASS,
 * HW_EXIT_FAIL or HW_EXIT_BROKEN.
 */
#include "cmdline.h"
#include "conf/bench.h"
#include "conf/conf.h"
#include "vx/arch.h"
#include "hv/hv.h"
#include "hw.h"
#include "percpu.h"

/* Multiboot Specification 0.6.96, §3.3 "Boot information format". */
#define MB_BOOT_MAGIC 0x2badb002u
#define MB_INFO_MEMORY (1u << 0)
#define MB_INFO_CMDLINE (1u << 2)

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower; /* KiB below 1 MiB */
	uint32_t mem_upper; /* KiB from 1 MiB to the first hole */
	uint32_t boot_device;
	uint32_t cmdline;   /* physical address of a NUL-terminated string */
};

#define CMDLINE_MAX 1024

extern const char hw_image_end[];

__attribute__((noreturn)) void hw_main(uint32_t magic, uint32_t info_pa);

static __attribute__((noreturn)) void broken(const char *what, const char *detail)
{
	hw_printf("Bail out! vxemu-hw: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	hw_exit(HW_EXIT_BROKEN);
}

/* Copies the loader's command line out of its memory before anything can
 * reuse that memory. */
static void read_cmdline(const struct mb_info *mb, char *out)
{
	const char *src;
	size_t n = 0;

	out[0] = '\0';
	if (!(mb->flags & MB_INFO_CMDLINE) || !mb->cmdline)
		return;
	src = arch_phys_to_virt(mb->cmdline);
	while (src[n]) {
		if (n == CMDLINE_MAX - 1)
			broken("the command line is longer than 1023 characters", NULL);
		out[n] = src[n];
		n++;
	}
	out[n] = '\0';
}

/* The loader's memory map is only a summary, but it is enough to refuse a
 * machine on which the image's own pages are not RAM, and to give the
 * pages above the image to the page pool. */
/* Memory the loader reported, for the trace's header (0: it did not say). */
static uint64_t ram_top;

static void check_memory(const struct mb_info *mb)
{
	uint64_t top = 0x100000ull + (uint64_t)mb->mem_upper * 1024u;

	ram_top = (mb->flags & MB_INFO_MEMORY) ? top : 0;
	if ((mb->flags & MB_INFO_MEMORY) && top < arch_virt_to_phys(hw_image_end))
		broken("not enough memory below the first hole for the image",
		       "give the machine at least 64 MiB");
	hw_mem_init((mb->flags & MB_INFO_MEMORY) ? top : 0);
}

static void console_write(void *user, const char *s, size_t n)
{
	(void)user;
	hw_serial_write(s, n);
}

static uint32_t cpuid_reg(uint32_t leaf, int reg)
{
	struct arch_cpuid r;
	uint32_t max;

	arch_cpuid(leaf & 0x80000000u, 0, &r);
	max = r.eax;
	if (leaf > max)
		return 0;
	arch_cpuid(leaf, 0, &r);
	return reg == 0 ? r.eax : reg == 1 ? r.ebx : reg == 2 ? r.ecx : r.edx;
}

/*
 * With `trace`: the facts a trace's header holds, one line the host reads
 * (traces/src/serial.c): the CPUID words the scenarios look at, the
 * hypervisor's signature (CPUID 4000_0000h, when Fn0000_0001 ECX[31] says
 * there is one), the processors and the memory.
 */
static void trace_platform(void)
{
	struct arch_cpuid h = { 0, 0, 0, 0 };
	char sig[13];

	if (cpuid_reg(1, 2) & (1u << 31))
		arch_cpuid(0x40000000u, 0, &h);
	for (int i = 0; i < 4; i++) {
		sig[i] = (char)(h.ebx >> (8 * i));
		sig[4 + i] = (char)(h.ecx >> (8 * i));
		sig[8 + i] = (char)(h.edx >> (8 * i));
	}
	sig[12] = '\0';
	for (int i = 0; i < 12; i++) {
		if (sig[i] <= ' ' || sig[i] > '~')
			sig[i] = sig[i] ? '_' : '\0';
	}
	hw_printf("#platform 1.eax=%#x 1.ecx=%#x 80000001.ecx=%#x 8000000a.eax=%#x 8000000a.ebx=%#x "
		  "8000000a.edx=%#x 8000001f.eax=%#x cpus=%u ram=%#llx hypervisor=%s\n",
		  cpuid_reg(1, 0), cpuid_reg(1, 2), cpuid_reg(0x80000001u, 2),
		  cpuid_reg(0x8000000au, 0), cpuid_reg(0x8000000au, 1), cpuid_reg(0x8000000au, 3),
		  cpuid_reg(0x8000001fu, 0), (unsigned)arch_cpu_count(),
		  (unsigned long long)ram_top, sig[0] ? sig : "none");
}

/* One comment line saying what the scenarios ran on, for reports from
 * hardware. KTAP readers skip what comes before the version line; TAP 13
 * wants its version line first and JUnit XML only, so those go without. */
static void describe_platform(enum conf_format fmt)
{
	struct arch_cpuid v, f, x, s;
	char vendor[13];

	if (fmt == CONF_FMT_TAP13 || fmt == CONF_FMT_JUNIT)
		return;
	arch_cpuid(0, 0, &v);
	arch_cpuid(1, 0, &f);
	arch_cpuid(0x80000000u, 0, &x);
	memcpy(vendor, &v.ebx, 4);
	memcpy(vendor + 4, &v.edx, 4);
	memcpy(vendor + 8, &v.ecx, 4);
	vendor[12] = '\0';
	s.eax = s.edx = 0;
	if (x.eax >= 0x8000000au)
		arch_cpuid(0x8000000au, 0, &s);
	hw_printf("# vxemu-hw %s on %s, CPUID Fn0000_0001 EAX %#x, Fn8000_000A EAX %#x EDX %#x, "
		  "%u processors\n",
		  VXEMU_VERSION, vendor, f.eax, s.eax, s.edx, (unsigned)arch_cpu_count());
	if (hw_trace)
		trace_platform();
}

static bool selected(const struct conf_scenario *sc, const struct hw_options *o)
{
	return (!o->filter || conf_glob_match(o->filter, sc->name)) &&
	       (!o->group || conf_in_group(sc, o->group));
}

static bool skipped(const struct conf_scenario *sc, const struct hw_options *o)
{
	for (uint32_t i = 0; i < o->nskip; i++)
		if (conf_glob_match(o->skip[i], sc->name))
			return true;
	return false;
}

static void report_skipped(const struct conf_scenario *sc, struct conf_result *r)
{
	static const char why[] = "not run: skip= on the command line";

	memset(r, 0, sizeof(*r));
	r->scenario = sc;
	r->status = CONF_SKIP;
	memcpy(r->message, why, sizeof(why));
}

static __attribute__((noreturn)) void run_suite(const struct hw_options *o)
{
	const struct conf_writer w = { console_write, NULL };
	struct conf_totals totals = { 0, 0, 0, 0 };
	size_t count = 0, index = 0;

	for (size_t i = 0; i < conf_suite_len; i++)
		count += selected(conf_suite[i], o);
	if (count == 0)
		broken("no scenario matches the filter= and group= given", NULL);

	describe_platform(o->format);
	if (o->format == CONF_FMT_JUNIT)
		hw_exit_in_xml();
	conf_report_begin(&w, o->format, count);
	for (size_t i = 0; i < conf_suite_len; i++) {
		const struct conf_scenario *sc = conf_suite[i];
		struct conf_result r;

		if (!selected(sc, o))
			continue;
		if (skipped(sc, o)) {
			report_skipped(sc, &r);
			conf_report_result(&w, o->format, index++, &r, &totals);
			continue;
		}
		/* A fresh processor and memory for each, as the model gives each
		 * scenario a fresh machine. */
		hw_cpu_reset();
		hw_mem_reset();
		hw_set_scenario(sc->name);
		conf_run(sc, &r);
		hw_set_scenario(NULL);
		conf_report_result(&w, o->format, index++, &r, &totals);
	}
	conf_report_end(&w, o->format, &totals);
	hw_exit(totals.failed || totals.errors ? HW_EXIT_FAIL : HW_EXIT_PASS);
}

/*
 * "bench roundtrips N" (SVM) or "bench vmx_roundtrips N" (VMX), then the
 * time they took when the TSC rate is known.
 */
static __attribute__((noreturn)) void run_bench(uint32_t n, bool vmx)
{
	char why[160] = "SVM missing, or an entry failed";
	uint64_t t0, t1, hz, done;

	t0 = arch_rdtsc();
	done = vmx ? conf_vmx_bench_roundtrips(n, why, sizeof(why)) : hv_bench_roundtrips(n);
	t1 = arch_rdtsc();
	if (done != n) {
		hw_printf("Bail out! vxemu-hw: the %s round-trip benchmark stopped after %llu of %u "
			  "(%s)\n", vmx ? "VMX" : "SVM", (unsigned long long)done, n, why);
		hw_exit(HW_EXIT_BROKEN);
	}
	hz = hw_tsc_hz();
	hw_printf("bench %s %u tsc %llu", vmx ? "vmx_roundtrips" : "roundtrips", n,
		  (unsigned long long)(t1 - t0));
	if (hz && t1 > t0)
		hw_printf(" tsc_hz %llu ns %llu per_second %llu", (unsigned long long)hz,
			  (unsigned long long)((t1 - t0) * 1000000ull / (hz / 1000u)),
			  (unsigned long long)((uint64_t)n * hz / (t1 - t0)));
	hw_printf("\n");
	hw_exit(HW_EXIT_PASS);
}

void hw_main(uint32_t magic, uint32_t info_pa)
{
	static char cmdline[CMDLINE_MAX];
	const struct mb_info *mb = arch_phys_to_virt(info_pa);
	struct hw_options o;
	const char *why, *bad;

	hw_serial_init();
	hw_cpu_init();
	if (magic != MB_BOOT_MAGIC)
		broken("not started by a multiboot loader (EAX is not 0x2badb002)", NULL);
	read_cmdline(mb, cmdline);
	check_memory(mb);
	why = hw_cmdline_parse(cmdline, &o, &bad);
	if (why) {
		hw_printf("Bail out! vxemu-hw: command line: %s: '%s'\n", why, bad);
		hw_exit(HW_EXIT_BROKEN);
	}
	hw_trace = o.trace;
	/* After the command line is copied: the loader's memory below 1 MiB
	 * may hold it, and the trampoline is written there. */
	hw_smp_init(o.cpus);
	if (o.selftest == HW_SELFTEST_SMP)
		hw_selftest_smp();
	if (o.bench)
		run_bench(o.bench, false);
	if (o.bench_vmx)
		run_bench(o.bench_vmx, true);
	run_suite(&o);
}
