package io.splicelab.model.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Downloads a dataset's official files into a data root when the user allows it, verifying each
 * download's MD5 against the published checksum (the values torchvision publishes) before anything is
 * unpacked or moved into place. A mirror can replace the official base addresses (system property
 * {@code splicelab.datasets.mirror}: {@code <mirror>/<file name>}), which is also how tests run offline.
 */
public final class DatasetDownloader {
    public static final String MIRROR_PROPERTY = "splicelab.datasets.mirror";

    /** One downloadable file: where from, its MD5, and whether it is a tar.gz to unpack into the root. */
    public record Source(String url, String md5, boolean tarGz) {
        String fileName() {
            return url.substring(url.lastIndexOf('/') + 1);
        }
    }

    private static final String MNIST = "https://ossci-datasets.s3.amazonaws.com/mnist/";
    private static final String FASHION = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

    /** The official sources by dataset name. */
    public static final Map<String, List<Source>> SOURCES = Map.of(
            "mnist", List.of(new Source(MNIST + "train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873", false),
                    new Source(MNIST + "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432", false),
                    new Source(MNIST + "t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3", false),
                    new Source(MNIST + "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c", false)),
            "fashion-mnist", List.of(
                    new Source(FASHION + "train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d", false),
                    new Source(FASHION + "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe", false),
                    new Source(FASHION + "t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79", false),
                    new Source(FASHION + "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310", false)),
            "cifar10", List.of(new Source("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
                    "c32a1d4ab5d03f1284b67883e8d87530", true)),
            "cifar100", List.of(new Source("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz",
                    "03b5dce01913d631647c71ecec9e9cb8", true)),
            "svhn", List.of(new Source("http://ufldl.stanford.edu/housenumbers/train_32x32.mat",
                    "e26dedcc434d2e4c54c9b2d4a06d8373", false),
                    new Source("http://ufldl.stanford.edu/housenumbers/test_32x32.mat",
                            "eb5a983be6a315427106f1b164d9cef3", false)));

    private DatasetDownloader() {
    }

    /** Downloads and verifies every file of the dataset into {@code root}; returns the dataset's directory. */
    public static Path download(DatasetInfo info, Path root) {
        List<Source> sources = SOURCES.get(info.name());
        if (sources == null) {
            throw new DatasetUnavailableException("dataset " + info.name() + " cannot be downloaded");
        }
        Path dir = root.resolve(info.directory());
        try {
            Files.createDirectories(dir);
            for (Source source : sources) {
                String mirror = System.getProperty(MIRROR_PROPERTY);
                String url = mirror == null || mirror.isBlank() ? source.url()
                        : mirror.replaceAll("/$", "") + "/" + source.fileName();
                Path tmp = Files.createTempFile(root, ".download-", ".part");
                try {
                    try (InputStream in = new BufferedInputStream(URI.create(url).toURL().openStream())) {
                        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    }
                    String md5 = md5(tmp);
                    if (!md5.equals(source.md5())) {
                        throw new DatasetUnavailableException("download of " + url + " has MD5 " + md5
                                + ", expected " + source.md5() + "; nothing was kept");
                    }
                    if (source.tarGz()) {
                        untar(tmp, root);
                    } else {
                        Files.move(tmp, dir.resolve(source.fileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException e) {
            throw new DatasetUnavailableException("cannot download dataset " + info.name() + " into " + root + ": "
                    + e, e);
        }
        return dir;
    }

    /** Hex MD5 of a file. */
    public static String md5(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0;) {
                digest.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Unpacks the regular files of a (ustar) tar.gz under root, refusing paths that escape it. */
    static void untar(Path tarGz, Path root) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(tarGz)))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512) {
                String name = field(header, 0, 100);
                if (name.isEmpty()) {
                    break;
                }
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(),
                        8);
                char type = (char) header[156];
                long padded = (size + 511) / 512 * 512;
                if (type == '0' || type == 0) {
                    Path target = base.resolve(name).normalize();
                    if (!target.startsWith(base)) {
                        throw new IOException("tar entry escapes the target: " + name);
                    }
                    Files.createDirectories(target.getParent());
                    Files.write(target, in.readNBytes((int) size));
                    in.skipNBytes(padded - size);
                } else {
                    in.skipNBytes(padded);
                }
            }
        }
    }

    private static String field(byte[] header, int from, int length) {
        int end = from;
        while (end < from + length && header[end] != 0) {
            end++;
        }
        return new String(header, from, end - from, StandardCharsets.US_ASCII);
    }
}
