"""Staff and auditor tokens (JWT), verified the same way by every service that serves people."""
