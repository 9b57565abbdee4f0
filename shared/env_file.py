"""Where settings are read from after the environment: the dotenv file named by `FRONTDOOR_ENV_FILE` (default
`local.env` in the development state folder, `$FRONTDOOR_STATE_DIR` or `.frontdoor/`; an empty value reads no
file). Apart from `shared.settings` so a command that needs one value can read it without loading
pydantic-settings (`setting()`), with the same precedence: the environment, then the file, then the default."""

import os

ENV_FILE = (os.environ["FRONTDOOR_ENV_FILE"] or None if "FRONTDOOR_ENV_FILE" in os.environ
            else os.path.join(os.environ.get("FRONTDOOR_STATE_DIR", ".frontdoor"), "local.env"))


def setting(name: str, default: str) -> str:
    """One setting by its environment name (e.g. TRIAGE_RULESET_VERSION), as the settings classes read it."""
    if name in os.environ:
        return os.environ[name]
    if ENV_FILE and os.path.exists(ENV_FILE):
        from dotenv import dotenv_values

        value = dotenv_values(ENV_FILE).get(name)
        if value is not None:
            return value
    return default
