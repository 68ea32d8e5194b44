# leapp shell integration for zsh.
# Install: add to ~/.zshrc
#   eval "$(leapp hook zsh)"
# Prompt (with setopt prompt_subst): RPROMPT='${leapp_prompt}'
#
# On a plain prompt this hook runs shell builtins only and starts no process. It runs
# leapp when the directory tree's .leapp-session changes, or when the active credentials
# enter their refresh window. State lives in unexported __leapp_* variables.

zmodload zsh/datetime 2>/dev/null
if (( ! ${+__leapp_hooked} )); then
  typeset -g __leapp_hooked=1 __leapp_pwd= __leapp_marker= __leapp_marker_content= __leapp_saved= __leapp_exported= leapp_prompt=
  typeset -gi __leapp_due=0
fi
(( ${+__leapp_vars} )) || typeset -ga __leapp_vars=()

__leapp_precmd() {
  if [[ $PWD != "$__leapp_pwd" ]]; then
    __leapp_chdir
  elif [[ -n $__leapp_marker ]] && ! __leapp_marker_unchanged; then
    __leapp_marker=   # edited (or removed): look again, as on entry; changed content needs a new `leapp allow`
    __leapp_chdir
  elif (( __leapp_due > 0 && EPOCHSECONDS >= __leapp_due )); then
    __leapp_refresh
  fi
  __leapp_prompt
}

# The marker's content, read by the read builtin into __leapp_text (no process).
__leapp_marker_text() {
  __leapp_text=
  [[ -r $1 ]] && IFS= read -r -d '' __leapp_text < "$1"
  return 0
}

__leapp_marker_unchanged() {
  local __leapp_text
  __leapp_marker_text "$__leapp_marker"
  [[ $__leapp_text == "$__leapp_marker_content" ]]
}

# chpwd does the directory work at once; precmd then finds nothing changed.
# Completion may cd in a subshell: do nothing there.
__leapp_chpwd() {
  (( ZSH_SUBSHELL == 0 )) || return 0
  __leapp_chdir
}

__leapp_chdir() {
  __leapp_pwd=$PWD
  local d=$PWD m=
  while :; do
    if [[ -f $d/.leapp-session ]]; then m=$d/.leapp-session; break; fi
    [[ -z $d ]] && break
    d=${d%/*}
  done
  [[ $m == "$__leapp_marker" ]] && return 0
  __leapp_marker=$m
  local __leapp_text
  __leapp_marker_text "$m"
  __leapp_marker_content=$__leapp_text
  if [[ -z $m ]]; then
    __leapp_deactivate
    return 0
  fi
  local out
  # The output starts by saving what it replaces (__leapp_save, with leapp's list of variables).
  if out=$(command "${LEAPP_BIN:-leapp}" hook-env --shell zsh --marker "$m") && [[ -n $out ]]; then
    eval "$out"
  else
    __leapp_deactivate
  fi
}

__leapp_refresh() {
  local out=
  if [[ -n $__leapp_marker ]]; then
    out=$(command "${LEAPP_BIN:-leapp}" hook-env --shell zsh --marker "$__leapp_marker" --refresh)
  elif [[ -n ${LEAPP_SESSION-} ]]; then
    out=$(command "${LEAPP_BIN:-leapp}" hook-env --shell zsh --session "$LEAPP_SESSION")
  fi
  if [[ -n $out ]]; then eval "$out"; else __leapp_due=0; fi
}

# Saves each variable named (leapp's list) that is set, and whether it was exported (a
# plain shell variable must not come back exported).
__leapp_save() {
  local v
  __leapp_vars=("$@")
  __leapp_saved=' '
  __leapp_exported=' '
  for v in $__leapp_vars; do
    if (( ${(P)+v} )); then
      __leapp_saved+="$v "
      [[ ${(Pt)v} == *-export* ]] && __leapp_exported+="$v "
      typeset -g "__leapp_old_$v=${(P)v}"
    fi
  done
}

__leapp_deactivate() {
  __leapp_due=0
  [[ -n $__leapp_saved ]] || return 0
  local v o
  for v in $__leapp_vars; do
    if [[ $__leapp_saved == *" $v "* ]]; then
      o=__leapp_old_$v
      if [[ $__leapp_exported == *" $v "* ]]; then typeset -gx "$v=${(P)o}"; else typeset -g +x "$v=${(P)o}"; fi
      unset "$o"
    else
      unset "$v"
    fi
  done
  __leapp_saved=
  [[ ${1-} == quiet ]] || print -r -- 'leapp: left the session directory; environment restored' >&2
}

# Time left as leapp itself says it ("45s", "59m", "1h", "1h5m"), by arithmetic only.
__leapp_left() {
  local s=$1
  if (( s < 60 )); then
    left="${s}s"
  elif (( s < 3600 )); then
    left="$(( s / 60 ))m"
  else
    left="$(( s / 3600 ))h"
    if (( s % 3600 / 60 > 0 )); then left+="$(( s % 3600 / 60 ))m"; fi
  fi
}

# Sets leapp_prompt to "alias region 42m", control characters removed and % escaped.
__leapp_prompt() {
  leapp_prompt=
  [[ -n ${LEAPP_SESSION-} ]] || return 0
  local left=expired
  if [[ ${LEAPP_EXPIRATION-} == <-> ]] && (( LEAPP_EXPIRATION > EPOCHSECONDS )); then
    __leapp_left $(( LEAPP_EXPIRATION - EPOCHSECONDS ))
  fi
  local s=${LEAPP_SESSION//[[:cntrl:]]/} r=${${AWS_REGION-}//[[:cntrl:]]/}
  leapp_prompt="${s//\%/%%} ${r//\%/%%} $left"
}

leapp_prompt_info() {
  __leapp_prompt
  [[ -z $leapp_prompt ]] || print -rn -- "$leapp_prompt"
}

# `leapp allow`, `deny` and `session start|stop` take effect at the next prompt: the hook
# forgets the directory it looked at, so that prompt looks again (no process on other prompts).
leapp() {
  command "${LEAPP_BIN:-leapp}" "$@"
  local __leapp_rc=$? __leapp_name= __leapp_a
  case "${1-} ${2-}" in
    ("session stop")
      for __leapp_a in "${@[3,-1]}"; do [[ $__leapp_a == -* ]] || { __leapp_name=$__leapp_a; break; }; done
      __leapp_name=${__leapp_name:-${LEAPP_SESSION-}}
      if (( __leapp_rc == 0 )) && [[ -n $__leapp_marker && -n ${LEAPP_SESSION-} && $__leapp_name == "$LEAPP_SESSION" ]]; then
        __leapp_deactivate quiet
        print -r -- "leapp: ${__leapp_name//[[:cntrl:]]/} stays stopped in this shell until \`leapp session start\` or you enter its directory again" >&2
      else
        __leapp_pwd= __leapp_marker=
      fi ;;
    (allow\ *|deny\ *|"session start") __leapp_pwd= __leapp_marker= ;;
  esac
  return $__leapp_rc
}

autoload -Uz add-zsh-hook
add-zsh-hook precmd __leapp_precmd
add-zsh-hook chpwd __leapp_chpwd
