"""German strings of login throttling, sign-up by e-mail confirmation and its mails (merged by translations_de.py)."""

GERMAN = {
    "Too many failed logins for this account. Please wait %(minutes)s minute and try again.": (
        "Zu viele fehlgeschlagene Anmeldungen für dieses Konto. Bitte warten Sie %(minutes)s Minute und versuchen Sie es dann erneut.",
        "Zu viele fehlgeschlagene Anmeldungen für dieses Konto. Bitte warten Sie %(minutes)s Minuten und versuchen Sie es dann erneut.",
    ),
    "We have sent a message to %(email)s. Please follow the link in it to activate your account.": "Wir haben eine Nachricht an %(email)s geschickt. Bitte folgen Sie dem Link darin, um Ihr Konto zu aktivieren.",
    "This confirmation link is invalid or has been used already. Log in, or create the account again.": "Dieser Bestätigungslink ist ungültig oder wurde bereits verwendet. Melden Sie sich an oder legen Sie das Konto erneut an.",
    "Activate your account": "Konto aktivieren",
    "Activate the learning account of %(email)s. What you have learnt in this browser so far is kept in it.": "Aktivieren Sie das Lernkonto von %(email)s. Was Sie in diesem Browser bisher gelernt haben, wird darin übernommen.",
    "Activate my account": "Mein Konto aktivieren",
    "Please confirm your learning account": "Bitte bestätigen Sie Ihr Lernkonto",
    "Hello,": "Guten Tag,",
    "someone, hopefully you, has created a learning account with this e-mail address. To activate it, open this link and confirm:": "jemand, hoffentlich Sie, hat mit dieser E-Mail-Adresse ein Lernkonto angelegt. Um es zu aktivieren, öffnen Sie diesen Link und bestätigen Sie:",
    "Open the link in the browser in which you have been learning so far, and your progress is kept in the account.": "Öffnen Sie den Link in dem Browser, in dem Sie bisher gelernt haben, dann wird Ihr Lernstand in das Konto übernommen.",
    "If it was not you, ignore this message: without confirmation no account is activated.": "Falls Sie das nicht waren, ignorieren Sie diese Nachricht: Ohne Bestätigung wird kein Konto aktiviert.",
    "Sign-up with your e-mail address": "Registrierung mit Ihrer E-Mail-Adresse",
    "someone, hopefully you, has tried to create a learning account with this e-mail address. You have an account already, so nothing was changed.": "jemand, hoffentlich Sie, hat versucht, mit dieser E-Mail-Adresse ein Lernkonto anzulegen. Sie haben bereits ein Konto, daher wurde nichts geändert.",
    "You can log in here with your e-mail address and password:": "Hier können Sie sich mit Ihrer E-Mail-Adresse und Ihrem Passwort anmelden:",
    "If you no longer know your password, write to %(contact_email)s and we will help you.": "Falls Sie Ihr Passwort nicht mehr wissen, schreiben Sie an %(contact_email)s – wir helfen Ihnen weiter.",
    "If it was not you, ignore this message: your account is unchanged.": "Falls Sie das nicht waren, ignorieren Sie diese Nachricht: Ihr Konto bleibt unverändert.",
}
