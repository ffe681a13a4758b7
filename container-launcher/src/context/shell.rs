//! Quoting arguments for a YARN command line. The NodeManager puts the joined command inside
//! `exec /bin/bash -c "…"`, so every argument passes through two shells: the double-quoted outer one
//! and the inner `bash -c`. An argument quoted here reaches the program byte for byte.

/// Quotes `arg` so that it survives the double-quoted `bash -c "…"` line and the inner shell as one
/// literal word: single quotes for the inner shell, with `$`, `` ` ``, `"` and `\` escaped for the outer
/// one, and each `'` written as `'\''`.
pub fn escape_for_shell(arg: &str) -> String {
    let mut out = String::with_capacity(arg.len() + 2);
    out.push('\'');
    for c in arg.chars() {
        match c {
            '$' => out.push_str("\\$"),
            '`' => out.push_str("\\`"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("'\\''"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_both_shells() {
        for (arg, quoted) in [
            ("plain", "'plain'"),
            ("a b", "'a b'"),
            ("$HOME", "'\\$HOME'"),
            ("it's", "'it'\\''s'"),
            ("say \"hi\"", "'say \\\"hi\\\"'"),
            ("a\\b`c`", "'a\\\\b\\`c\\`'"),
        ] {
            assert_eq!(escape_for_shell(arg), quoted, "{arg}");
        }
    }

    #[test]
    fn quoted_arguments_reach_the_program_unchanged() {
        let args = [
            "plain",
            "two words",
            "$HOME and ${X}",
            "it's",
            "q\"uo\"te",
            "back\\slash",
            "`tick`",
            "*",
            "",
        ];
        let joined: Vec<String> = args.iter().map(|a| escape_for_shell(a)).collect();
        // The same two-shell path the NodeManager takes.
        let line = format!("exec /bin/bash -c \"printf '%s\\n' {}\"", joined.join(" "));
        let out = std::process::Command::new("/bin/bash")
            .arg("-c")
            .arg(&line)
            .env_clear()
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let expected: String = args.iter().map(|a| format!("{a}\n")).collect();
        assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
    }
}
