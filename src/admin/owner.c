#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "owner.h"
#include "util/report.h"

bool owner_parse(const char *text, uid_t *uid, gid_t *gid)
{
	char user[256], *colon;
	struct passwd *pw;
	struct group *gr;

	snprintf(user, sizeof(user), "%s", text);
	colon = strchr(user, ':');
	if (colon)
		*colon = '\0';
	pw = getpwnam(user);
	if (!pw) {
		vt_error(user, "unknown user", "not in the password database (--owner USER[:GROUP])");
		return false;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	if (colon) {
		gr = getgrnam(colon + 1);
		if (!gr) {
			vt_error(colon + 1, "unknown group", "not in the group database (--owner USER[:GROUP])");
			return false;
		}
		*gid = gr->gr_gid;
	}
	return true;
}
