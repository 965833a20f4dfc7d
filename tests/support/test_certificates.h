#pragma once
// Throw-away certificates for loopback TLS tests, made with the openssl CLI at test time and never
// kept, so that the client's real verification path runs against the simulator.

#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace mm::test {

/// Runs openssl in `dir`; empty on success, else what went wrong.
inline QString runOpenssl(const QString& dir, const QStringList& arguments)
{
    QProcess process;
    process.setWorkingDirectory(dir);
    process.start("openssl", arguments);
    if (!process.waitForFinished(30'000)) {
        return "openssl " + arguments.join(' ') + " did not finish: " + process.errorString();
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        return "openssl " + arguments.join(' ') + " failed: " + QString::fromLocal8Bit(process.readAllStandardError());
    }
    return {};
}

inline QStringList ecKeyArguments()
{
    return {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};
}

/// A certificate authority in `dir`: `<name>.pem` and `<name>.key`.
inline QString makeCertificateAuthority(const QString& dir, const QString& name = "ca")
{
    return runOpenssl(dir, QStringList{"req", "-x509"} + ecKeyArguments() +
                               QStringList{"-keyout", name + ".key", "-out", name + ".pem", "-days", "2", "-subj",
                                           "/CN=Margin Monitor test CA"});
}

/// A server certificate signed by the CA `ca` in `dir`, for `subjectAltName` ("IP:127.0.0.1,DNS:localhost"):
/// `<name>.pem` and `<name>.key`.
inline QString makeServerCertificate(const QString& dir, const QString& name, const QString& subjectAltName,
                                     const QString& ca = "ca")
{
    if (QString problem = runOpenssl(dir, QStringList{"req"} + ecKeyArguments() +
                                              QStringList{"-keyout", name + ".key", "-out", name + ".csr", "-subj",
                                                          "/CN=Margin Monitor test server"});
        !problem.isEmpty()) {
        return problem;
    }
    QFile extensions(dir + "/" + name + ".ext");
    if (!extensions.open(QIODevice::WriteOnly)) {
        return "cannot write " + extensions.fileName() + ": " + extensions.errorString();
    }
    extensions.write(("subjectAltName=" + subjectAltName + "\nbasicConstraints=CA:FALSE\n").toUtf8());
    extensions.close();
    return runOpenssl(dir, {"x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
                            "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext"});
}

/// The usual pair in `dir`: ca.pem (the CA to trust) and server.pem / server.key for 127.0.0.1 and localhost.
inline QString makeTestCertificates(const QString& dir)
{
    if (QString problem = makeCertificateAuthority(dir); !problem.isEmpty()) {
        return problem;
    }
    return makeServerCertificate(dir, "server", "IP:127.0.0.1,DNS:localhost");
}

} // namespace mm::test
