/* SPDX-License-Identifier: MIT */
/* Finding and booting the hardware image on a peer (see peer.h). */
#define _POSIX_C_SOURCE 200809L
#include "peer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const struct vx_peer_kind vx_peer_qemu = {
	.name = "QEMU",
	.platform = "qemu",
	.program_env = "QEMU_SYSTEM",
	.program = "qemu-system-x86_64",
	.packages = "qemu-system-x86",
	.launcher = VXEMU_RUN_QEMU,
	.timeout_env = "VXEMU_QEMU_TIMEOUT",
	/* The whole suite under TCG takes seconds, a hung guest forever. Event
	 * lines on a serial port are slow under TCG (about 100 KB/s): a traced
	 * suite needs more than the launcher's default two minutes. */
	.suite_timeout_s = 600.0,
	.traced_timeout = "580",
	.default_image = VXEMU_HW_IMAGE,
	.image_hint = "build it with the dev preset, or pass --image PATH",
};

const struct vx_peer_kind vx_peer_bochs = {
	.name = "Bochs",
	.platform = "bochs",
	.program_env = "BOCHS",
	.program = "bochs-bin",
	.packages = "bochs, bochsbios and vgabios",
	.launcher = VXEMU_RUN_BOCHS,
	.timeout_env = "VXEMU_BOCHS_TIMEOUT",
	/* The suite takes minutes under Bochs; its launcher allows ten. */
	.suite_timeout_s = 1800.0,
	.traced_timeout = "1780",
	.default_image = VXEMU_HW_ISO,
	.image_hint = "the dev preset builds it where grub-mkrescue, xorriso and grub-pc-bin "
		      "are installed; or pass --image PATH",
};

const char *vx_peer_launcher_name(const struct vx_peer_kind *kind)
{
	const char *slash = strrchr(kind->launcher, '/');

	return slash ? slash + 1 : kind->launcher;
}

static bool readable_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, R_OK) == 0;
}

int vx_peer_locate(const struct vx_peer_kind *kind, const char *image, struct vx_peer *p,
		   char *err, size_t errlen)
{
	/* The launcher honours this variable; look for the program it will run. */
	const char *name = getenv(kind->program_env);

	memset(p, 0, sizeof(*p));
	p->kind = kind;
	if (!name || !*name)
		name = kind->program;
	if (strchr(name, '/') ? access(name, X_OK) != 0
			      : !vx_find_in_path(name, p->program, sizeof(p->program))) {
		snprintf(err, errlen, "%s is not installed or not in PATH (Debian package%s %s)",
			 name, strchr(kind->packages, ' ') ? "s" : "", kind->packages);
		return -1;
	}
	if (strchr(name, '/'))
		snprintf(p->program, sizeof(p->program), "%s", name);
	if (!readable_file(kind->launcher)) {
		snprintf(err, errlen, "the %s launcher %s is missing", kind->name, kind->launcher);
		return -1;
	}
	snprintf(p->script, sizeof(p->script), "%s", kind->launcher);
	if (!image)
		image = kind->default_image;
	if (!readable_file(image)) {
		snprintf(err, errlen,
			 "the hardware image %s does not exist%s%s%s", image,
			 image == kind->default_image ? " (" : "",
			 image == kind->default_image ? kind->image_hint : "",
			 image == kind->default_image ? ")" : "");
		return -1;
	}
	if (strlen(image) >= sizeof(p->image)) {
		snprintf(err, errlen, "the image path is too long");
		return -1;
	}
	snprintf(p->image, sizeof(p->image), "%s", image);
	return 0;
}

int vx_peer_boot(const struct vx_peer *p, const char *cmdline, double timeout_s,
		 struct vx_proc_result *r)
{
	/* Through sh, so the launcher needs no execute bit in a fresh checkout. */
	char *argv[] = { "/bin/sh", (char *)p->script, (char *)p->image, (char *)cmdline, NULL };

	return vx_proc_run(argv, timeout_s, r);
}
