"""Who may do what to which object: one policy module every view goes through."""
