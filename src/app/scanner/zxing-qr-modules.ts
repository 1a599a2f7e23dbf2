/*
 * The parts of zxing that read QR codes, imported one module each: the package's index pulls in
 * every barcode format (the worker grows from about 100 kB to 450 kB). Those modules are ES
 * modules in a package that TypeScript (NodeNext) takes for CommonJS, so it types a default
 * import as the module object; bundlers give the class. The casts say so, with the package's own
 * types.
 */
import type * as Zxing from '@zxing/library';
import binaryBitmap from '@zxing/library/esm/core/BinaryBitmap.js';
import checksumException from '@zxing/library/esm/core/ChecksumException.js';
import decodeHintType from '@zxing/library/esm/core/DecodeHintType.js';
import formatException from '@zxing/library/esm/core/FormatException.js';
import hybridBinarizer from '@zxing/library/esm/core/common/HybridBinarizer.js';
import notFoundException from '@zxing/library/esm/core/NotFoundException.js';
import qrCodeReader from '@zxing/library/esm/core/qrcode/QRCodeReader.js';
import rgbLuminanceSource from '@zxing/library/esm/core/RGBLuminanceSource.js';

export const BinaryBitmap = binaryBitmap as unknown as typeof Zxing.BinaryBitmap;
export const ChecksumException = checksumException as unknown as typeof Zxing.ChecksumException;
export const DecodeHintType = decodeHintType as unknown as typeof Zxing.DecodeHintType;
export type DecodeHintType = Zxing.DecodeHintType;
export const FormatException = formatException as unknown as typeof Zxing.FormatException;
export const HybridBinarizer = hybridBinarizer as unknown as typeof Zxing.HybridBinarizer;
export const NotFoundException = notFoundException as unknown as typeof Zxing.NotFoundException;
export const QRCodeReader = qrCodeReader as unknown as typeof Zxing.QRCodeReader;
export const RGBLuminanceSource = rgbLuminanceSource as unknown as typeof Zxing.RGBLuminanceSource;
